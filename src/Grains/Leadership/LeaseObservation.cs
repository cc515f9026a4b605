namespace Mesos.Orleans.Grains.Leadership;

/// <summary>What the lease row said when a candidate tried to acquire it: the current term and holder
/// (null before the first election), and whether the candidate now holds it.</summary>
public sealed record LeaseObservation(long Term, string? Holder, string? Address, bool Acquired);
