using SharpBan.Engine.Actions;

namespace SharpBan.Engine.Tests.Actions;

public sealed class RepairGateTests
{
    [Fact]
    public async Task EnterRepair_WaitsForCommandsInFlight_AndHoldsBackNewOnes()
    {
        using var gate = new RepairGate();
        var first = await gate.EnterCommandAsync(default);
        var second = await gate.EnterCommandAsync(default);
        var repair = gate.EnterRepairAsync(default);
        await Task.Delay(50);
        Assert.False(repair.IsCompleted);
        var late = gate.EnterCommandAsync(default);
        first.Dispose();
        await Task.Delay(50);
        Assert.False(repair.IsCompleted);
        second.Dispose();
        var pass = await repair.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(late.IsCompleted);
        pass.Dispose();
        (await late.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task EnterRepair_Cancelled_LetsCommandsAndRepairsIn()
    {
        using var gate = new RepairGate();
        var command = await gate.EnterCommandAsync(default);
        using var cancel = new CancellationTokenSource();
        var repair = gate.EnterRepairAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => repair);
        (await gate.EnterCommandAsync(default).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        command.Dispose();
        (await gate.EnterRepairAsync(default).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}
