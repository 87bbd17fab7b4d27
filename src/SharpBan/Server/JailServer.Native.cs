using SharpBan.Firewall;

namespace SharpBan.Server;

internal sealed partial class JailServer
{
    private NativeNftablesBackend? _nativeBackend;

    /// <summary>
    /// The native nftables backend shared by all jails (one batch queue, so requests of all jails arriving together
    /// become one transaction); created when the first native action starts. Null when the context has no runner.
    /// </summary>
    private Func<NativeNftablesBackend>? NativeBackend => _context.NftRunner is { } createRunner
        ? () => _nativeBackend ??= new NativeNftablesBackend(createRunner(), _context.Time)
        : null;

    private async Task DisposeNativeBackendAsync()
    {
        if (_nativeBackend is not null)
        {
            await _nativeBackend.DisposeAsync().ConfigureAwait(false);
            _nativeBackend = null;
        }
    }
}
