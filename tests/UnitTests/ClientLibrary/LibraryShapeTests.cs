using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Mesos.Orleans.Client;
using Mesos.Orleans.Interfaces.Client;

namespace Mesos.Orleans.UnitTests.ClientLibrary;

/// <summary>The library rules the client keeps, as Npgsql does: every asynchronous member takes a
/// CancellationToken (async iterators through [EnumeratorCancellation]), and nothing blocks on a task.
/// ConfigureAwait(false) on every await is enforced by CA2007 in src/Client/.editorconfig.</summary>
public sealed partial class LibraryShapeTests
{
    [Fact]
    public void Every_public_asynchronous_member_takes_a_cancellation_token()
    {
        var types = typeof(MesosClient).Assembly.GetExportedTypes()
            .Concat(typeof(IMesosClient).Assembly.GetExportedTypes().Where(t => t.Namespace == typeof(IMesosClient).Namespace));
        var asynchronous = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAsynchronous(m.ReturnType) && m.Name != nameof(IAsyncDisposable.DisposeAsync))
            .ToList();

        Assert.NotEmpty(asynchronous);
        var missing = asynchronous.Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken))).Select(Describe).ToList();
        Assert.True(missing.Count == 0, "Without a CancellationToken: " + string.Join(", ", missing));

    }

    [Fact]
    public void Every_async_iterator_of_the_client_takes_its_token_through_EnumeratorCancellation()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var iterators = typeof(MesosClient).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(all))
            .Where(m => m.IsDefined(typeof(AsyncIteratorStateMachineAttribute)))
            .ToList();

        Assert.Contains(iterators, m => m.Name == nameof(IMesosScheduler.SubscribeAsync));
        var unmarked = iterators.Where(m => !m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken) && p.IsDefined(typeof(EnumeratorCancellationAttribute))))
            .Select(Describe).ToList();
        Assert.True(unmarked.Count == 0, "Async iterators without [EnumeratorCancellation]: " + string.Join(", ", unmarked));
    }

    [Fact]
    public void No_source_file_of_the_client_blocks_on_a_task()
    {
        var root = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "..", "src", "Client"));
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        var blocking = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => Blocking().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(blocking.Count == 0, "Blocking calls:\n" + string.Join('\n', blocking));
    }

    private static bool IsAsynchronous(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask) ||
        (type.IsGenericType && type.GetGenericTypeDefinition() is var g && (g == typeof(Task<>) || g == typeof(ValueTask<>) || g == typeof(IAsyncEnumerable<>)));

    private static string Describe(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [GeneratedRegex(@"\.Result\b|\.Wait\(|GetAwaiter\(\)\.GetResult\(\)|Thread\.Sleep\(")]
    private static partial Regex Blocking();
}
