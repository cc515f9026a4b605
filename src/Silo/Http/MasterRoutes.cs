namespace Mesos.Orleans.Silo.Http;

/// <summary>Mesos serves every master route both bare and under /master/ (libprocess delegates unknown
/// first segments to the master process); DC/OS tooling adds /mesos/. We serve all three.</summary>
public static class MasterRoutes
{
    public static readonly string[] Prefixes = [string.Empty, "/master", "/mesos"];
}
