namespace Mesos.Orleans.Interfaces.Json;

/// <summary>Marks a field the .proto declares <c>required</c>: a message without it (missing, null, or an
/// unknown enum name) is refused with 400, as Mesos refuses a protobuf that is not initialized.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ProtoRequiredAttribute : Attribute;
