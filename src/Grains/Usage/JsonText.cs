namespace Mesos.Orleans.Grains.Usage;

/// <summary>Where a JSON string's value lies in a usage report's bytes: between its quotes, as sent. IDs are
/// compared where they lie instead of being decoded to new strings for every report.</summary>
/// <param name="Start">Offset of the first byte after the opening quote; 0 when the string is absent (a
/// string's value never starts at 0, its quote is there at the earliest).</param>
/// <param name="Length">Bytes between the quotes.</param>
/// <param name="Escaped">Whether the value holds escape sequences, so that its bytes are not its text.</param>
public readonly record struct JsonText(int Start, int Length, bool Escaped)
{
    public bool IsPresent => Start > 0;
}
