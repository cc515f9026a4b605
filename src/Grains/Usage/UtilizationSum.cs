using Mesos.Orleans.Interfaces.Operator;

namespace Mesos.Orleans.Grains.Usage;

/// <summary>Adds up allocated, used and total cpus and mem (MB) for one agent, role or the cluster.</summary>
public sealed class UtilizationSum
{
    public double CpusAllocated { get; set; }

    public double CpusUsed { get; set; }

    public double CpusTotal { get; set; }

    public double MemAllocated { get; set; }

    public double MemUsed { get; set; }

    public double MemTotal { get; set; }

    public void Add(UtilizationSum other)
    {
        CpusAllocated += other.CpusAllocated;
        CpusUsed += other.CpusUsed;
        CpusTotal += other.CpusTotal;
        MemAllocated += other.MemAllocated;
        MemUsed += other.MemUsed;
        MemTotal += other.MemTotal;
    }

    public UtilizationEntry ToWire() => new()
    {
        Cpus = new ResourceUtilization { Allocated = CpusAllocated, Used = CpusUsed, Total = CpusTotal },
        Mem = new ResourceUtilization { Allocated = MemAllocated, Used = MemUsed, Total = MemTotal },
    };
}
