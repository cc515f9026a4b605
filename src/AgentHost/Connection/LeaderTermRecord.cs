using System.Globalization;

namespace Mesos.Orleans.AgentHost.Connection;

/// <summary>The highest leader term this agent has followed, kept in work_dir/meta/leader_term across
/// restarts: a master that subscribes the agent with an older term is a deposed leader and is refused.</summary>
public sealed class LeaderTermRecord(string workDir)
{
    private readonly string _path = Path.Combine(workDir, "meta", "leader_term");
    private long? _highest;

    public long Highest => _highest ??= File.Exists(_path) && long.TryParse(File.ReadAllText(_path).Trim(), CultureInfo.InvariantCulture, out var term) ? term : 0;

    /// <summary>True when <paramref name="term"/> may be followed (and records it); false for a stale leader.</summary>
    public bool Accept(long? term)
    {
        if (term is not { } offered)
        {
            return true; // A master without HA has no term.
        }

        if (offered < Highest)
        {
            return false;
        }

        if (offered > Highest)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, offered.ToString(CultureInfo.InvariantCulture));
            File.Move(temporary, _path, overwrite: true);
            _highest = offered;
        }

        return true;
    }
}
