namespace Mesos.Orleans.Benchmarks.Launch;

/// <summary>Latency samples in milliseconds, summarised as p50, p90, p99 and max.</summary>
internal sealed class Percentiles(IEnumerable<double> samples)
{
    private readonly double[] _sorted = [.. samples.Order()];

    public double P50 => At(0.50);

    public double P90 => At(0.90);

    public double P99 => At(0.99);

    public double Max => _sorted[^1];

    private double At(double quantile) => _sorted[(int)Math.Min(_sorted.Length - 1, Math.Ceiling(quantile * _sorted.Length) - 1)];
}
