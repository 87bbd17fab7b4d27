namespace SharpBan.Engine.Jails;

/// <summary>A <c>bantime.formula</c>/<c>bantime.factor</c> or time value that cannot be parsed or evaluated.</summary>
public sealed class ExpressionException(string message) : Exception(message);
