namespace Mesos.Orleans.Grains.Storage;

/// <summary>The grain storage every grain of ours uses: the ADO.NET provider on PostgreSQL in a cluster,
/// <see cref="SqliteGrainStorage"/> when embedded.</summary>
public static class GrainStorageName
{
    public const string Mesos = "mesos";
}
