namespace Mesos.Orleans.AgentHost.Containers;

/// <summary>What a container task runs in: the image's unpacked root filesystem (shared, read only, cached per
/// image) and a directory of the container's own on the agent, which holds the writable layer above it.</summary>
public sealed record ContainerRootFs(string RootFs, string ContainerDirectory)
{
    /// <summary>Where a container task sees its sandbox, as in Mesos.</summary>
    public const string SandboxInside = "/mnt/mesos/sandbox";
}
