using Orleans.Storage;

namespace Mesos.Orleans.Grains.Storage;

/// <summary>Where the embedded silo keeps grain state, and how it is serialized.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The SQLite file (created, and migrated, on first use).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Set from the silo's default (System.Text.Json) unless given.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
