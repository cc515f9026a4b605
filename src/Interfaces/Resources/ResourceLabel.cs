namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>One key/value label of a reservation (mesos.v1.Label); the value is optional on the wire.</summary>
public readonly record struct ResourceLabel(string Key, string? Value);
