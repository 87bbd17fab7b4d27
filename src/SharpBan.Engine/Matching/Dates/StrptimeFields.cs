namespace SharpBan.Engine.Matching.Dates;

/// <summary>
/// The values a date's strptime fields gave, read but not yet checked or converted: from a regex match
/// (<see cref="StrptimeConverter.TryRead"/>) or from a template's own scanner (<see cref="SyslogDateScanner"/>).
/// </summary>
internal readonly record struct StrptimeFields
{
    public int? Year { get; init; }

    public int? Month { get; init; }

    public int? Day { get; init; }

    /// <summary>Day of the year (<c>%j</c>), used when month or day is missing.</summary>
    public int? Julian { get; init; }

    public int Hour { get; init; }

    public int Minute { get; init; }

    public int Second { get; init; }

    /// <summary>The zone's offset east of UTC in minutes (<c>%z</c>, <c>%Z</c>), or null when the date has no zone.</summary>
    public int? ZoneOffset { get; init; }
}
