namespace Mesos.Orleans.Grains.Registry;

/// <summary>A record that remembers the term of the master that wrote it last: a writer of an older term is
/// refused even when its check of the claimed term passed (a silo paused between that check and its write).</summary>
public interface ITermedRecord
{
    long Term { get; set; }
}
