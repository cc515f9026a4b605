using System.Text.Json;

namespace Mesos.Orleans.AgentHost.Containers;

/// <summary>The image a task's <c>ContainerInfo</c> asks for. Mesos's v1 <c>Image</c> offers APPC and DOCKER;
/// an OCI image is a DOCKER image here (as Mesos's unified containerizer pulls Docker/OCI images without a Docker
/// daemon), and <c>docker.name</c> names a local OCI image layout: an absolute path to its directory or to a
/// tarball of it, or a name looked up in the agent's <c>--docker_registry</c> directory
/// (<c>NAME</c>, then <c>NAME.tar</c>).</summary>
public static class ImageReference
{
    /// <summary>The image's name from <c>{type: MESOS, mesos: {image: {type: DOCKER, docker: {name}}}}</c>;
    /// null for a task without a container image; throws with the reason for one the agent cannot run.</summary>
    public static string? NameOf(JsonElement? container)
    {
        if (container is not { ValueKind: JsonValueKind.Object } info)
        {
            return null;
        }

        var type = info.TryGetProperty("type", out var t) ? t.GetString() : "MESOS";
        if (type == "DOCKER")
        {
            throw new InvalidOperationException("This agent has no Docker containerizer: run images with ContainerInfo type MESOS and an image of type DOCKER");
        }

        if (type != "MESOS")
        {
            throw new InvalidOperationException($"Unsupported container type '{type}'");
        }

        if (!info.TryGetProperty("mesos", out var mesos) || !mesos.TryGetProperty("image", out var image))
        {
            return null;
        }

        var imageType = image.TryGetProperty("type", out var it) ? it.GetString() : null;
        if (imageType != "DOCKER")
        {
            throw new InvalidOperationException($"Unsupported image type '{imageType}': this agent runs DOCKER (OCI) images");
        }

        if (!image.TryGetProperty("docker", out var docker) || !docker.TryGetProperty("name", out var name) || name.GetString() is not { Length: > 0 } value)
        {
            throw new InvalidOperationException("A DOCKER image needs docker.name");
        }

        return value;
    }

    /// <summary>The image layout directory or tarball the name refers to.</summary>
    public static string Resolve(string name, string? registry)
    {
        if (Path.IsPathRooted(name))
        {
            return Exists(name) ? name : throw new InvalidOperationException($"Image '{name}' not found: no OCI image layout or tarball at that path");
        }

        if (registry is not null && !name.Contains("..", StringComparison.Ordinal))
        {
            foreach (var candidate in new[] { Path.Combine(registry, name), Path.Combine(registry, name + ".tar") })
            {
                if (Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(registry is null
            ? $"Image '{name}' not found: give an absolute path to an OCI image layout or tarball, or start the agent with --docker_registry"
            : $"Image '{name}' not found in the local registry {registry}");
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
