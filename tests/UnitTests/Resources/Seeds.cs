using Xunit.Sdk;

namespace Mesos.Orleans.UnitTests.Resources;

/// <summary>The fixed seed list for the randomized law tests. Every seed runs inside one test (a theory row
/// per seed would cost more in runner overhead than the checks themselves); a failure names its seed so it
/// can be replayed alone with <c>new Random(seed)</c>.</summary>
public static class Seeds
{
    public const int First = 1;
    public const int Last = 200;

    public static void ForEach(Action<Random> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        for (var seed = First; seed <= Last; seed++)
        {
            try
            {
                check(new Random(seed));
            }
            catch (Exception e) when (e is not SeededFailureException)
            {
                throw new SeededFailureException(seed, e);
            }
        }
    }

    private sealed class SeededFailureException(int seed, Exception inner)
        : XunitException($"Failed for seed {seed}: {inner.Message}", inner);
}
