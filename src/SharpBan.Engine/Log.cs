using Microsoft.Extensions.Logging;

namespace SharpBan.Engine;

/// <summary>
/// Log messages of the engine. Event ids by area: 1xxx jails (failures, bans), 2xxx actions. Messages whose event name
/// starts with <c>Notice</c> are fail2ban's NOTICE level (between INFO and WARNING); their text is kept verbatim
/// because the recidive filter and monitoring scripts parse it.
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

    [LoggerMessage(1009, LogLevel.Information, "[{Jail}] Increase Ban {Ip} ({Count} # {Duration} -> {End})", EventName = "NoticeIncreaseBan")]
    public static partial void IncreaseBan(ILogger logger, string jail, string ip, int count, string duration, string end);

    [LoggerMessage(1010, LogLevel.Information, "[{Jail}] Found {Ip}, bad - {Time}, {Count} # -> {Retry}{Ban}", EventName = "FoundBad")]
    public static partial void FoundBad(ILogger logger, string jail, string ip, string time, int count, int retry, string ban);

    [LoggerMessage(2000, LogLevel.Error, "Failed to execute {Operation} jail '{Jail}' action '{Action}': {Message}", EventName = "ActionFailed")]
    public static partial void ActionFailed(ILogger logger, string operation, string jail, string action, string message);

    [LoggerMessage(2001, LogLevel.Debug, "{Command} -- returned successfully", EventName = "CommandSucceeded")]
    public static partial void CommandSucceeded(ILogger logger, string command);

    [LoggerMessage(2002, LogLevel.Error, "{Command} -- returned {ExitCode}{Output}", EventName = "CommandFailed")]
    public static partial void CommandFailed(ILogger logger, string command, int exitCode, string output);

    [LoggerMessage(2003, LogLevel.Error, "{Command} -- timed out after {Timeout} seconds", EventName = "CommandTimedOut")]
    public static partial void CommandTimedOut(ILogger logger, string command, double timeout);

    [LoggerMessage(2004, LogLevel.Information, "[{Jail}] Flush ticket(s) with {Action}", EventName = "NoticeFlush")]
    public static partial void Flush(ILogger logger, string jail, string action);

    [LoggerMessage(2005, LogLevel.Critical, "Unable to restore environment of jail '{Jail}' action '{Action}'", EventName = "RepairFailed")]
    public static partial void RepairFailed(ILogger logger, string jail, string action);

    [LoggerMessage(2006, LogLevel.Error, "Invariant check failed. Trying to restore a sane environment (jail '{Jail}', action '{Action}')", EventName = "InvariantCheckFailed")]
    public static partial void InvariantCheckFailed(ILogger logger, string jail, string action);
}
