using System.Reflection;
using Microsoft.Extensions.Logging;

namespace SharpBan.Tests;

/// <summary>The <c>[LoggerMessage]</c> definitions of both assemblies: one event id per message, so a log filter on an id is safe.</summary>
public sealed class LogTests
{
    [Fact]
    public void EventIds_OfBothAssemblies_AreUnique()
    {
        var messages = new[] { typeof(SharpBan.Log), typeof(SharpBan.Engine.Log) }
            .SelectMany(static t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Select(static m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(static m => m.Attribute is not null)
            .ToList();

        var shared = messages
            .GroupBy(static m => m.Attribute!.EventId)
            .Where(static g => g.Count() > 1)
            .Select(static g => $"{g.Key}: {string.Join(", ", g.Select(static m => m.Method.Name))}")
            .ToList();
        Assert.True(messages.Count > 100, $"only {messages.Count} messages found");
        Assert.True(shared.Count == 0, "event ids used twice: " + string.Join("; ", shared));
    }
}
