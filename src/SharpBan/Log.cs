using Microsoft.Extensions.Logging;

namespace SharpBan;

/// <summary>
/// Log messages of the executable. Event ids by area: 1xxx jails (failures, bans), 3xxx server, 4xxx database,
/// 5xxx log sources, 6xxx name resolution. Messages whose event name starts with <c>Notice</c> are fail2ban's NOTICE level,
/// those starting with <c>Msg</c> its MSG level (18, shown from <c>loglevel = MSG</c> or DEBUG on); the text of ban
/// messages is kept verbatim because the recidive filter and monitoring scripts parse it.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "[{Jail}] Found {Ip} - {Time}", EventName = "Found")]
    public static partial void Found(ILogger logger, string jail, string ip, string time);

    [LoggerMessage(1001, LogLevel.Information, "[{Jail}] Ban {Ip}", EventName = "NoticeBan")]
    public static partial void Ban(ILogger logger, string jail, string ip);

    [LoggerMessage(1002, LogLevel.Information, "[{Jail}] Restore Ban {Ip}", EventName = "NoticeRestoreBan")]
    public static partial void RestoreBan(ILogger logger, string jail, string ip);

    [LoggerMessage(1003, LogLevel.Information, "[{Jail}] Unban {Ip}", EventName = "NoticeUnban")]
    public static partial void Unban(ILogger logger, string jail, string ip);

    [LoggerMessage(1004, LogLevel.Debug, "[{Jail}] {Ip} already banned", EventName = "AlreadyBanned")]
    public static partial void AlreadyBannedDebug(ILogger logger, string jail, string ip);

    [LoggerMessage(1005, LogLevel.Information, "[{Jail}] {Ip} already banned", EventName = "NoticeAlreadyBanned")]
    public static partial void AlreadyBannedNotice(ILogger logger, string jail, string ip);

    [LoggerMessage(1006, LogLevel.Warning, "[{Jail}] {Ip} already banned", EventName = "AlreadyBannedWarning")]
    public static partial void AlreadyBannedWarning(ILogger logger, string jail, string ip);

    [LoggerMessage(1007, LogLevel.Information, "[{Jail}] Ignore {Ip} by {Rule}", EventName = "Ignore")]
    public static partial void Ignore(ILogger logger, string jail, string ip, string rule);

    [LoggerMessage(1008, LogLevel.Information, "[{Jail}] Ignore {Ip}, expired bantime", EventName = "IgnoreExpired")]
    public static partial void IgnoreExpired(ILogger logger, string jail, string ip);

    [LoggerMessage(1015, LogLevel.Information, "[{Jail}] IP {Ip} is bad: {Count} # last {LastBan} - incr {From} to {To}", EventName = "IpIsBad")]
    public static partial void IpIsBad(ILogger logger, string jail, string ip, int count, string lastBan, string from, string to);

    [LoggerMessage(1009, LogLevel.Information, "[{Jail}] Increase Ban {Ip} ({Count} # {Duration} -> {End})", EventName = "NoticeIncreaseBan")]
    public static partial void IncreaseBan(ILogger logger, string jail, string ip, int count, string duration, string end);

    [LoggerMessage(1010, LogLevel.Information, "[{Jail}] Found {Ip}, bad - {Time}, {Count} # -> {Retry}{Ban}", EventName = "FoundBad")]
    public static partial void FoundBad(ILogger logger, string jail, string ip, string time, int count, string retry, string ban);

    [LoggerMessage(1011, LogLevel.Debug, "[{Jail}] {Ip} counted alone: its network {Network} holds an ignored address", EventName = "BanPrefixIgnored")]
    public static partial void BanPrefixIgnored(ILogger logger, string jail, string ip, string network);

    [LoggerMessage(1012, LogLevel.Information, "[{Jail}] Ignore {Ip}: the network holds an ignored address", EventName = "NetworkIgnored")]
    public static partial void NetworkIgnored(ILogger logger, string jail, string ip);

    [LoggerMessage(1013, LogLevel.Warning, "[{Jail}] Forgot {Count} failing addresses: more than maxtracked = {MaxTracked} were failing within findtime (an attacker rotating addresses?); the least recent went first, bans are kept", EventName = "TrackedEvicted")]
    public static partial void TrackedEvicted(ILogger logger, string jail, long count, int maxTracked);

    /// <summary>Before the ban ("Ban ADDR", unchanged) of an id that reached a <c>thresholds</c> pair rather than maxretry.</summary>
    [LoggerMessage(1014, LogLevel.Information, "[{Jail}] Threshold {Threshold} reached by {Ip}", EventName = "NoticeThresholdReached")]
    public static partial void ThresholdReached(ILogger logger, string jail, string threshold, string ip);

    [LoggerMessage(1020, LogLevel.Error, "[{Jail}] action queue closed, command dropped", EventName = "ActionDropped")]
    public static partial void ActionDropped(ILogger logger, string jail);

    [LoggerMessage(1021, LogLevel.Error, "[{Jail}] action failed: {Message}", EventName = "ActionException")]
    public static partial void ActionException(ILogger logger, string jail, string message);

    [LoggerMessage(1030, LogLevel.Information, "[{Jail}] action {Action}: native nftables backend started with {Count} restored bans", EventName = "NativeStarted")]
    public static partial void NativeStarted(ILogger logger, string jail, string action, int count);

    [LoggerMessage(1031, LogLevel.Error, "[{Jail}] action {Action}: native nftables {Operation} failed: {Message}", EventName = "NativeFailed")]
    public static partial void NativeFailed(ILogger logger, string jail, string action, string operation, string message);

    [LoggerMessage(1042, LogLevel.Error, "{Message}", EventName = "UseDnsInvalid")]
    public static partial void UseDnsInvalid(ILogger logger, string message);

    [LoggerMessage(1022, LogLevel.Error, "[{Jail}] cannot process line: {Message}", EventName = "LineError")]
    public static partial void LineError(ILogger logger, string jail, string message);

    [LoggerMessage(1023, LogLevel.Error, "[{Jail}] ignorecommand '{Command}' returned {ExitCode}", EventName = "IgnoreCommandFailed")]
    public static partial void IgnoreCommandFailed(ILogger logger, string jail, string command, int exitCode);

    [LoggerMessage(3000, LogLevel.Information, "Starting SharpBan v{Version} (fail2ban {Fail2Ban})", EventName = "Starting")]
    public static partial void Starting(ILogger logger, string version, string fail2Ban);

    [LoggerMessage(3030, LogLevel.Information, "--------------------------------------------------", EventName = "StartRule")]
    public static partial void StartRule(ILogger logger);

    [LoggerMessage(3040, LogLevel.Information, "Daemon started", EventName = "DaemonStarted")]
    public static partial void DaemonStarted(ILogger logger);

    [LoggerMessage(3031, LogLevel.Information, "Shutdown in progress...", EventName = "ShutdownBegin")]
    public static partial void ShutdownBegin(ILogger logger);

    [LoggerMessage(3032, LogLevel.Information, "Stopping all jails", EventName = "StoppingAllJails")]
    public static partial void StoppingAllJails(ILogger logger);

    [LoggerMessage(3042, LogLevel.Warning, "Jail name {Name} might be too long and some commands might not function correctly. Please shorten", EventName = "JailNameLong")]
    public static partial void JailNameLong(ILogger logger, string name);

    [LoggerMessage(3033, LogLevel.Information, "Creating new jail '{Jail}'", EventName = "JailCreating")]
    public static partial void JailCreating(ILogger logger, string jail);

    [LoggerMessage(3034, LogLevel.Information, "Jail '{Jail}' uses {Kind} {Options}", EventName = "JailBackend")]
    public static partial void JailBackend(ILogger logger, string jail, string kind, string options);

    [LoggerMessage(3035, LogLevel.Information, "Initiated '{Backend}' backend", EventName = "BackendInitiated")]
    public static partial void BackendInitiated(ILogger logger, string backend);

    [LoggerMessage(3036, LogLevel.Warning, "Could only initiated '{Backend}' backend whenever '{Requested}' was requested", EventName = "BackendSubstituted")]
    public static partial void BackendSubstituted(ILogger logger, string backend, string requested);

    [LoggerMessage(3037, LogLevel.Information, "  {Option}: {Value}", EventName = "OptionSet")]
    public static partial void OptionSet(ILogger logger, string option, string value);

    [LoggerMessage(3038, LogLevel.Information, "Set banTime.{Option} = {Value}", EventName = "BanTimeExtraSet")]
    public static partial void BanTimeExtraSet(ILogger logger, string option, string value);

    [LoggerMessage(3039, LogLevel.Warning, "ban time increment is not available as long jail database is not set", EventName = "IncrementWithoutDatabase")]
    public static partial void IncrementWithoutDatabase(ILogger logger);

    [LoggerMessage(5020, LogLevel.Information, "[{Jail}] Jail is in operation now (process new journal entries)", EventName = "JournalInOperation")]
    public static partial void JournalInOperation(ILogger logger, string jail);

    [LoggerMessage(5021, LogLevel.Information, "[{Jail}] Jail started without 'journalmatch' set. Jail regexs will be checked against all journal entries, which is not advised for performance reasons.", EventName = "NoticeJournalWithoutMatch")]
    public static partial void JournalWithoutMatch(ILogger logger, string jail);

    [LoggerMessage(5022, LogLevel.Information, "[{Jail}] Added journal match for: {Match}", EventName = "JournalMatchAdded")]
    public static partial void JournalMatchAdded(ILogger logger, string jail, string match);

    [LoggerMessage(5023, LogLevel.Information, "[{Jail}] Removed journal match for: {Match}", EventName = "JournalMatchRemoved")]
    public static partial void JournalMatchRemoved(ILogger logger, string jail, string match);

    [LoggerMessage(4002, LogLevel.Information, "Connection to database closed.", EventName = "DatabaseClosed")]
    public static partial void DatabaseClosed(ILogger logger);

    [LoggerMessage(3001, LogLevel.Information, "Exiting SharpBan", EventName = "Exiting")]
    public static partial void Exiting(ILogger logger);

    [LoggerMessage(3002, LogLevel.Information, "Jail '{Jail}' started", EventName = "JailStarted")]
    public static partial void JailStarted(ILogger logger, string jail);

    [LoggerMessage(3003, LogLevel.Information, "Jail '{Jail}' stopped", EventName = "JailStopped")]
    public static partial void JailStopped(ILogger logger, string jail);

    [LoggerMessage(3004, LogLevel.Error, "{Message}", EventName = "ConfigError")]
    public static partial void ConfigError(ILogger logger, string message);

    [LoggerMessage(3005, LogLevel.Error, "Command {Command} failed: {Message}", EventName = "CommandFailed")]
    public static partial void CommandFailed(ILogger logger, string command, string message);

    [LoggerMessage(3006, LogLevel.Debug, "Command: {Command}", EventName = "Command")]
    public static partial void Command(ILogger logger, string command);

    [LoggerMessage(4004, LogLevel.Information, "Caught signal HUP: {What}", EventName = "HangUpSignal")]
    public static partial void HangUpSignal(ILogger logger, string what);

    [LoggerMessage(4003, LogLevel.Debug, "Caught signal USR1. Flushing logs: {Result}", EventName = "FlushLogsSignal")]
    public static partial void FlushLogsSignal(ILogger logger, string result);

    [LoggerMessage(4000, LogLevel.Information, "Connected to fail2ban persistent database '{Path}'", EventName = "DatabaseOpened")]
    public static partial void DatabaseOpened(ILogger logger, string path);

    [LoggerMessage(4001, LogLevel.Warning, "{Message}", EventName = "DatabaseNotice")]
    public static partial void DatabaseNotice(ILogger logger, string message);

    [LoggerMessage(4010, LogLevel.Error, "Database file '{Path}' cannot be used: {Message}; bans are kept in memory and enforced, next attempt in {Seconds} s", EventName = "DatabaseUnusable")]
    public static partial void DatabaseUnusable(ILogger logger, string path, string message, string seconds);

    [LoggerMessage(4011, LogLevel.Warning, "Database file '{Path}' was {Change} while the server ran: {Outcome}", EventName = "DatabaseRecreated")]
    public static partial void DatabaseRecreated(ILogger logger, string path, string change, string outcome);

    [LoggerMessage(4012, LogLevel.Warning, "Database file '{Path}' is usable again: {Outcome}", EventName = "DatabaseUsableAgain")]
    public static partial void DatabaseUsableAgain(ILogger logger, string path, string outcome);

    [LoggerMessage(5000, LogLevel.Information, "Added logfile: {Path} (pos = {Position}, hash = {Hash})", EventName = "LogAdded")]
    public static partial void LogAdded(ILogger logger, string path, long position, string hash);

    [LoggerMessage(5001, LogLevel.Information, "Log rotation detected for {Path}", EventName = "MsgLogRotated")]
    public static partial void LogRotated(ILogger logger, string path);

    [LoggerMessage(5002, LogLevel.Warning, "Error reading {Path}: {Message}", EventName = "LogReadError")]
    public static partial void LogReadError(ILogger logger, string path, string message);

    [LoggerMessage(5008, LogLevel.Warning, "[{Jail}] Waiting for log file {Path} to appear", EventName = "LogAwaited")]
    public static partial void LogAwaited(ILogger logger, string jail, string path);

    [LoggerMessage(5011, LogLevel.Warning, "[{Jail}] None of its log files exists: reading the systemd journal instead (backend auto, the filter's journalmatch)", EventName = "JournalFallback")]
    public static partial void JournalFallback(ILogger logger, string jail);

    [LoggerMessage(5010, LogLevel.Information, "[{Jail}] Log file {Path} appeared (matches {Pattern})", EventName = "LogAwaitedFound")]
    public static partial void LogAwaitedFound(ILogger logger, string jail, string path, string pattern);

    [LoggerMessage(5009, LogLevel.Warning, "{Path} is not a regular file (a FIFO, device or directory): not read", EventName = "LogNotRegular")]
    public static partial void LogNotRegular(ILogger logger, string path);

    [LoggerMessage(5003, LogLevel.Information, "Log presence detected for file {Path}", EventName = "LogAppeared")]
    public static partial void LogAppeared(ILogger logger, string path);

    [LoggerMessage(5007, LogLevel.Warning, "A line of {Path} is longer than {Limit} bytes: only its first {Limit} bytes are matched", EventName = "LongLineCut")]
    public static partial void LongLineCut(ILogger logger, string path, int limit);

    [LoggerMessage(5004, LogLevel.Warning, "[{Jail}] journalctl ended ({How}); following the journal again in {Seconds} s, after the last entry read", EventName = "JournalEnded")]
    public static partial void JournalEnded(ILogger logger, string jail, string how, int seconds);

    [LoggerMessage(5005, LogLevel.Error, "journalctl: {Message}", EventName = "JournalError")]
    public static partial void JournalError(ILogger logger, string message);

    [LoggerMessage(5012, LogLevel.Error, "[{Jail}] journal entry {Cursor} could not be handled, skipped: {Message}", EventName = "JournalEntryFailed")]
    public static partial void JournalEntryFailed(ILogger logger, string jail, string cursor, string message);

    [LoggerMessage(3020, LogLevel.Information, "Serving metrics at http://{Endpoint}/metrics", EventName = "MetricsListening")]
    public static partial void MetricsListening(ILogger logger, string endpoint);

    [LoggerMessage(3021, LogLevel.Error, "Cannot serve metrics at {Endpoint}: {Message}; the daemon runs without the metrics listener", EventName = "MetricsListenFailed")]
    public static partial void MetricsListenFailed(ILogger logger, string endpoint, string message);

    [LoggerMessage(3022, LogLevel.Debug, "Metrics request from {Remote} not answered: {Message}", EventName = "MetricsRequestFailed")]
    public static partial void MetricsRequestFailed(ILogger logger, string remote, string message);

    [LoggerMessage(3023, LogLevel.Error, "Metrics request from {Remote} failed: {Message}", EventName = "MetricsServerError")]
    public static partial void MetricsServerError(ILogger logger, string remote, string message);

    [LoggerMessage(3007, LogLevel.Debug, "Client connection ended: {Message}", EventName = "ClientError")]
    public static partial void ClientError(ILogger logger, string message);

    [LoggerMessage(3008, LogLevel.Error, "Fail2ban seems to be already running: {Message}", EventName = "AlreadyRunning")]
    public static partial void AlreadyRunning(ILogger logger, string message);

    [LoggerMessage(3009, LogLevel.Information, "Reload {What}", EventName = "ReloadBegin")]
    public static partial void ReloadBegin(ILogger logger, string what);

    [LoggerMessage(3010, LogLevel.Information, "Reload jail '{Jail}'", EventName = "ReloadJail")]
    public static partial void ReloadJail(ILogger logger, string jail);

    [LoggerMessage(3011, LogLevel.Information, "Restart jail '{Jail}' (reason: '{OldBackend}' != '{NewBackend}')", EventName = "RestartJail")]
    public static partial void RestartJail(ILogger logger, string jail, string oldBackend, string newBackend);

    [LoggerMessage(3012, LogLevel.Information, "Jail '{Jail}' reloaded", EventName = "JailReloaded")]
    public static partial void JailReloaded(ILogger logger, string jail);

    [LoggerMessage(3013, LogLevel.Information, "Reload finished.", EventName = "ReloadFinished")]
    public static partial void ReloadFinished(ILogger logger);

    [LoggerMessage(5006, LogLevel.Information, "Removed logfile: {Path}", EventName = "LogRemoved")]
    public static partial void LogRemoved(ILogger logger, string path);

    [LoggerMessage(1032, LogLevel.Error, "[{Jail}] Cannot remove regular expression. Index {Index} is not valid", EventName = "RegexIndexInvalid")]
    public static partial void RegexIndexInvalid(ILogger logger, string jail, int index);

    [LoggerMessage(1033, LogLevel.Information, "[{Jail}] Attempt {Ip} - {Time}", EventName = "Attempt")]
    public static partial void Attempt(ILogger logger, string jail, string ip, string time);

    [LoggerMessage(2100, LogLevel.Debug, "Jail '{Jail}': mail '{Subject}' sent to {To}", EventName = "MailSent")]
    public static partial void MailSent(ILogger logger, string jail, string subject, string to);

    [LoggerMessage(1034, LogLevel.Information, "[{Jail}] Reban {Ip}, action '{Action}'", EventName = "NoticeReban")]
    public static partial void Reban(ILogger logger, string jail, string ip, string action);

    [LoggerMessage(1035, LogLevel.Information, "[{Jail}] action {Action}: native nftables chain and sets were gone, created again with {Count} bans", EventName = "NoticeNativeRestarted")]
    public static partial void NativeRestarted(ILogger logger, string jail, string action, int count);

    [LoggerMessage(1036, LogLevel.Warning, "[{Jail}] actions still busy {Seconds} s after the stop began: the remaining work (mails, API calls) is cancelled", EventName = "StopGraceOver")]
    public static partial void StopGraceOver(ILogger logger, string jail, int seconds);

    [LoggerMessage(6000, LogLevel.Warning, "Unable to find a corresponding IP address for {Host}: {Error}", EventName = "DnsUnresolved")]
    public static partial void DnsUnresolved(ILogger logger, string host, string error);

    [LoggerMessage(6001, LogLevel.Warning, "Determined IP using DNS Lookup: {Text} = {Addresses}", EventName = "DnsDetermined")]
    public static partial void DnsDetermined(ILogger logger, string text, string addresses);

    [LoggerMessage(6002, LogLevel.Error, "DNSException ({Reason}) querying Cymru for {Question} TXT", EventName = "CymruQueryFailed")]
    public static partial void CymruQueryFailed(ILogger logger, string reason, string question);

    [LoggerMessage(6004, LogLevel.Warning, "DNS lookup of {Host} still unanswered after {Seconds} s: failures of host names are counted when their lookups answer, the jails go on meanwhile", EventName = "DnsSlow")]
    public static partial void DnsSlow(ILogger logger, string host, double seconds);

    [LoggerMessage(6005, LogLevel.Warning, "{Count} failure(s) not counted: more than {Max} wait for DNS lookups or ignorecommands", EventName = "LaterDropped")]
    public static partial void LaterDropped(ILogger logger, long count, int max);

    [LoggerMessage(6006, LogLevel.Warning, "{Count} host name(s) not looked up (the last {Host}): {Max} lookups are waiting for their name servers already", EventName = "DnsTooMany")]
    public static partial void DnsTooMany(ILogger logger, long count, int max, string host);

    [LoggerMessage(6007, LogLevel.Error, "[{Jail}] a failure that waited for a DNS lookup or its ignorecommand was not counted: {Message}", EventName = "LaterFailed")]
    public static partial void LaterFailed(ILogger logger, string jail, string message);

    [LoggerMessage(6008, LogLevel.Warning, "[{Jail}] ignorecommand still running after {Seconds} s: failures are counted when their commands end, the jails go on meanwhile", EventName = "IgnoreCommandSlow")]
    public static partial void IgnoreCommandSlow(ILogger logger, string jail, double seconds);

    [LoggerMessage(6009, LogLevel.Warning, "[{Jail}] ignorecache key (<ip-host>) still being looked up after {Seconds} s: failures are checked when their names come, the jails go on meanwhile", EventName = "IgnoreCacheKeySlow")]
    public static partial void IgnoreCacheKeySlow(ILogger logger, string jail, double seconds);

    [LoggerMessage(6003, LogLevel.Error, "No DNS name server in /etc/resolv.conf: cannot look up extended Cymru info", EventName = "CymruNoNameServer")]
    public static partial void CymruNoNameServer(ILogger logger);

    [LoggerMessage(1038, LogLevel.Information, "[{Jail}] thresholds: the failures of {Count} address(es) restored from the database", EventName = "ThresholdsRestored")]
    public static partial void ThresholdsRestored(ILogger logger, string jail, int count);

    [LoggerMessage(1039, LogLevel.Warning, "[{Jail}] action {Action}: {Count} commands waiting (they take longer than the bans and unbans come; each waits in memory until it has run)", EventName = "ActionBacklog")]
    public static partial void ActionBacklog(ILogger logger, string jail, string action, int count);

    [LoggerMessage(1040, LogLevel.Error, "[{Jail}] {Ip}: bantime.increment failed ({Message}); banned for the jail's bantime", EventName = "BanTimeIncrementFailed")]
    public static partial void BanTimeIncrementFailed(ILogger logger, string jail, string ip, string message);

    [LoggerMessage(1041, LogLevel.Error, "[{Jail}] a failure could not be handled ({Message}); the lines after it are read on", EventName = "FailureNotHandled")]
    public static partial void FailureNotHandled(ILogger logger, string jail, string message);

    [LoggerMessage(3043, LogLevel.Error, "Command {Command} failed: {Message}", EventName = "CommandFailedUnexpectedly")]
    public static partial void CommandFailedUnexpectedly(ILogger logger, string command, string message, Exception exception);

    [LoggerMessage(3041, LogLevel.Error, "Housekeeping (unbans, database purge, repairs) failed: {Message}; tried again in {Seconds} s", EventName = "HousekeepingFailed")]
    public static partial void HousekeepingFailed(ILogger logger, string message, int seconds);

    [LoggerMessage(1037, LogLevel.Warning, "Unsupported extended jail status flavor {Flavor}. Supported: ['short', 'basic', 'cymru']", EventName = "StatusFlavorUnsupported")]
    public static partial void StatusFlavorUnsupported(ILogger logger, string flavor);
}
