using System.Runtime.CompilerServices;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>The client package's public API (the Client assembly and the contracts in
/// Mesos.Orleans.Interfaces.Client) is compared with the committed PublicApi.approved.txt, so that every
/// change to it is deliberate and reviewed.</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_API_matches_the_approved_snapshot()
    {
        var types = typeof(MesosClient).Assembly.GetExportedTypes()
            .Concat(typeof(IMesosClient).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(IMesosClient).Namespace));
        var actual = PublicApiText.Of(types);
        var approvedPath = Path.Combine(SourceDirectory(), "PublicApi.approved.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (actual == approved)
        {
            return;
        }

        var receivedPath = Path.Combine(SourceDirectory(), "PublicApi.received.txt");
        File.WriteAllText(receivedPath, actual);
        var before = Keyed(approved);
        var after = Keyed(actual);
        var diff = string.Join('\n', before.Except(after).Select(l => "- " + l).Concat(after.Except(before).Select(l => "+ " + l)));
        Assert.Fail(
            $"The client's public API changed:\n{diff}\n\nIf the change is intended, accept it by copying\n  {receivedPath}\nover\n  {approvedPath}\n" +
            "(e.g. `mv tests/UnitTests/ClientLibrary/PublicApi.received.txt tests/UnitTests/ClientLibrary/PublicApi.approved.txt`) and commit it with the change.");
    }

    /// <summary>Each line prefixed by its type, so that a member that changes in one type shows even when another
    /// type has the same member.</summary>
    private static HashSet<string> Keyed(string api)
    {
        var keyed = new HashSet<string>(StringComparer.Ordinal);
        var type = string.Empty;
        foreach (var line in api.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                keyed.Add($"{type} ::{line[1..]}");
            }
            else
            {
                type = line;
                keyed.Add(line);
            }
        }

        return keyed;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
