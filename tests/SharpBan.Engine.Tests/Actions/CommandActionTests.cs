using Microsoft.Extensions.Logging.Abstractions;
using SharpBan.Engine.Actions;
using SharpBan.Engine.Jails;

namespace SharpBan.Engine.Tests.Actions;

public class CommandActionTests
{
    private static CommandAction Action(RecordingProcessRunner runner, bool families = false)
    {
        var a = new CommandAction("sshd", "test", runner, NullLogger.Instance);
        a.Properties["actionstart"] = "start <name>";
        a.Properties["actionstop"] = "stop <name>";
        a.Properties["actionban"] = "ban <ip>";
        a.Properties["actionunban"] = "unban <ip>";
        a.Properties["actioncheck"] = "check";
        a.Properties["name"] = "sshd";
        if (families)
        {
            a.Properties["actionban?family=inet6"] = "ban6 <ip>";
        }

        return a;
    }

    private static (BanTicket, TicketTagValues) Ticket(string ip)
    {
        var t = new BanTicket(ip, 0);
        return (t, new TicketTagValues("sshd", t, "", 0, 600));
    }

    [Fact]
    public async Task StartAsync_NotOnDemand_RunsStartAtOnce()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        await a.StartAsync(0, default);
        Assert.Equal(["start sshd"], runner.Commands.Select(c => c.Script));
    }

    [Fact]
    public async Task BanAsync_OnDemandFamilies_StartsFamilyBeforeFirstBan()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner, families: true);
        await a.StartAsync(0, default);
        Assert.Empty(runner.Commands);
        var (t, v) = Ticket("2001:db8::1");
        await a.BanAsync(t, v, 0, default);
        await a.UnbanAsync(t, v, 0, default);
        await a.StopAsync(0, default);
        Assert.Equal(["start sshd", "ban6 2001:db8::1", "unban 2001:db8::1", "stop sshd"], runner.Commands.Select(c => c.Script));
    }

    [Fact]
    public async Task BanAsync_FailsThenCheckFails_RepairsByRestartAndRetriesOnce()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        await a.StartAsync(0, default);
        runner.Failing.Add("ban 192.0.2.1");
        runner.Failing.Add("check");
        var (t, v) = Ticket("192.0.2.1");
        Assert.True(await a.BanAsync(t, v, 0, default));
        Assert.Equal(["start sshd", "ban 192.0.2.1", "check", "stop sshd", "start sshd", "check", "ban 192.0.2.1"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>fail2ban's _processCmd: without actioncheck a failed command is run once more.</summary>
    [Fact]
    public async Task BanAsync_FailsOnceWithoutActionCheck_RunsItAgain()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        a.Properties["actioncheck"] = "";
        await a.StartAsync(0, default);
        runner.Failing.Add("ban 192.0.2.1");
        var (t, v) = Ticket("192.0.2.1");

        Assert.True(await a.BanAsync(t, v, 0, default));
        Assert.Equal(["start sshd", "ban 192.0.2.1", "ban 192.0.2.1"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>A ban that failed leaves nothing to unban: fail2ban runs no actionunban for it.</summary>
    [Fact]
    public async Task UnbanAsync_AfterAFailedBan_RunsNothing()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        a.Properties["actioncheck"] = "";
        await a.StartAsync(0, default);
        runner.AlwaysFailing.Add("ban 192.0.2.1");
        var (t, v) = Ticket("192.0.2.1");

        Assert.False(await a.BanAsync(t, v, 0, default));
        await a.UnbanAsync(t, v, 0, default);
        await a.StopAsync(0, default);
        Assert.Equal(["start sshd", "ban 192.0.2.1", "ban 192.0.2.1", "stop sshd"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>An action whose start failed is not stopped (fail2ban stops started families only) nor started again by a ban.</summary>
    [Fact]
    public async Task StopAsync_AfterAFailedStart_RunsNothing()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        runner.Failing.Add("start sshd");

        await a.StartAsync(0, default);
        await a.StopAsync(0, default);

        Assert.Equal(["start sshd"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>With actionstart_on_demand a start that fails cancels the ban; the next ban starts again.</summary>
    [Fact]
    public async Task BanAsync_OnDemandStartFails_NoBanAndTheNextBanStartsAgain()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        a.Properties["actionstart_on_demand"] = "true";
        runner.Failing.Add("start sshd");
        var (t1, v1) = Ticket("192.0.2.1");
        var (t2, v2) = Ticket("192.0.2.2");

        Assert.False(await a.BanAsync(t1, v1, 0, default));
        Assert.True(await a.BanAsync(t2, v2, 0, default));
        await a.UnbanAsync(t1, v1, 0, default);

        Assert.Equal(["start sshd", "start sshd", "ban 192.0.2.2", "unban 192.0.2.1"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>
    /// A repair (check failed, stop and start) opens a new epoch: a ban applied before it is sent again by RebanAsync, one
    /// applied after it (the retried ban) is not, so no address reaches the firewall twice.
    /// </summary>
    [Fact]
    public async Task RebanAsync_AfterRepair_OnlyBansFromBeforeTheRepairAreSentAgain()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        var repaired = new List<string>();
        a.Repaired = repaired.Add;
        await a.StartAsync(0, default);
        var (old, oldValues) = Ticket("192.0.2.1");
        var (retried, retriedValues) = Ticket("192.0.2.2");
        Assert.True(await a.BanAsync(old, oldValues, 0, default));
        runner.Failing.Add("ban 192.0.2.2");
        runner.Failing.Add("check");
        Assert.True(await a.BanAsync(retried, retriedValues, 0, default));
        Assert.Equal([""], repaired);
        Assert.Equal(1, a.Epoch);

        runner.Commands.Clear();
        Assert.True(await a.RebanAsync(old, oldValues, 0, default));
        Assert.True(await a.RebanAsync(retried, retriedValues, 0, default));
        Assert.True(await a.RebanAsync(old, oldValues, 0, default)); // once sent again, it is current
        Assert.Equal(["ban 192.0.2.1"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>
    /// A repair waits for the ban command in flight (so that command cannot land in the repaired firewall unseen), and
    /// that ban, from before the repair, is sent again afterwards.
    /// </summary>
    [Fact]
    public async Task ConsistencyCheckAsync_BanInFlight_RepairWaitsForItAndTheBanIsSentAgain()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        await a.StartAsync(0, default);
        var (t, v) = Ticket("192.0.2.1");
        var held = runner.Held["ban 192.0.2.1"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ban = a.BanAsync(t, v, 0, default);
        await WaitForAsync(() => runner.EventsNow().Contains("run ban 192.0.2.1"));
        runner.Failing.Add("check");
        var check = a.ConsistencyCheckAsync(0, default);
        await Task.Delay(200);
        Assert.DoesNotContain("run stop sshd", runner.EventsNow());
        held.SetResult();
        await Task.WhenAll(ban, check);
        var events = runner.EventsNow();
        Assert.True(events.IndexOf("end ban 192.0.2.1") < events.IndexOf("run stop sshd"), string.Join(", ", events));
        Assert.Equal(1, a.Epoch);
        runner.Held.Clear();
        Assert.True(await a.RebanAsync(t, v, 0, default));
        Assert.Equal("run ban 192.0.2.1", runner.EventsNow()[^2]);
    }

    /// <summary>A ban that comes while a repair runs waits for it, counts as applied after it and is not sent twice.</summary>
    [Fact]
    public async Task BanAsync_DuringRepair_WaitsAndIsNotSentAgain()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        await a.StartAsync(0, default);
        var (old, oldValues) = Ticket("192.0.2.1");
        await a.BanAsync(old, oldValues, 0, default);
        var held = runner.Held["stop sshd"] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Failing.Add("check");
        var check = a.ConsistencyCheckAsync(0, default);
        await WaitForAsync(() => runner.EventsNow().Contains("run stop sshd"));
        var (t, v) = Ticket("192.0.2.2");
        var ban = a.BanAsync(t, v, 0, default);
        await Task.Delay(200);
        Assert.DoesNotContain("run ban 192.0.2.2", runner.EventsNow());
        held.SetResult();
        await Task.WhenAll(ban, check);
        var events = runner.EventsNow();
        Assert.True(events.LastIndexOf("end check") < events.IndexOf("run ban 192.0.2.2"), string.Join(", ", events));
        var before = runner.EventsNow().Count;
        Assert.True(await a.RebanAsync(t, v, 0, default));
        Assert.Equal(before, runner.EventsNow().Count); // applied after the repair: nothing to send again
        Assert.True(await a.RebanAsync(old, oldValues, 0, default));
        Assert.Equal("run ban 192.0.2.1", runner.EventsNow()[^2]);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    /// <summary>actionreban, where the action has one, is what a repair sends again.</summary>
    [Fact]
    public async Task RebanAsync_WithActionReban_RunsIt()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        a.Properties["actionreban"] = "reban <ip>";
        await a.StartAsync(0, default);
        var (t, v) = Ticket("192.0.2.1");
        await a.BanAsync(t, v, 0, default);
        runner.Failing.Add("check");
        await a.ConsistencyCheckAsync(0, default);
        await a.RebanAsync(t, v, 0, default);
        Assert.Equal(["start sshd", "ban 192.0.2.1", "check", "stop sshd", "start sshd", "check", "reban 192.0.2.1"], runner.Commands.Select(c => c.Script));
    }

    /// <summary>The consistency check of a sound environment changes nothing; one without actioncheck runs nothing.</summary>
    [Theory]
    [InlineData("check", new[] { "start sshd", "check" })]
    [InlineData("", new[] { "start sshd" })]
    public async Task ConsistencyCheckAsync_Sound_NoRepairNoNewEpoch(string check, string[] expected)
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        a.Properties["actioncheck"] = check;
        await a.StartAsync(0, default);
        await a.ConsistencyCheckAsync(0, default);
        Assert.Equal(expected, runner.Commands.Select(c => c.Script));
        Assert.Equal(0, a.Epoch);
    }

    /// <summary>An unbanned address is forgotten: banned again later, it counts as applied in the epoch of that ban.</summary>
    [Fact]
    public async Task RebanAsync_AfterUnban_SendsNothingForTheUnbannedAddress()
    {
        var runner = new RecordingProcessRunner();
        using var a = Action(runner);
        await a.StartAsync(0, default);
        var (t, v) = Ticket("192.0.2.1");
        await a.BanAsync(t, v, 0, default);
        runner.Failing.Add("check");
        await a.ConsistencyCheckAsync(0, default);
        await a.UnbanAsync(t, v, 0, default);
        await a.BanAsync(t, v, 0, default);
        runner.Commands.Clear();
        await a.RebanAsync(t, v, 0, default);
        Assert.Empty(runner.Commands);
    }
}
