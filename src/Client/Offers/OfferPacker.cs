using System.Globalization;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Client.Offers;

/// <summary>Places tasks on one offer: takes each task's resources out of what the offer has left (resources
/// reserved for the framework's role before unreserved ones), assigns it ports from the offer's port
/// ranges, and collects the tasks for one launch (<see cref="SchedulerExtensions.LaunchOrDeclineAsync"/>).
/// Not thread-safe; one packer per offer.</summary>
public sealed class OfferPacker
{
    private const string Ports = "ports";
    private readonly List<TaskInfo> _tasks = [];

    /// <summary>Starts with everything the offer holds.</summary>
    /// <param name="offer">The offer.</param>
    public OfferPacker(Offer offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        Offer = offer;
        Remaining = ResourceBag.FromWire(offer.Resources);
    }

    /// <summary>The offer the tasks are placed on.</summary>
    public Offer Offer { get; }

    /// <summary>What the offer still has after the tasks placed so far.</summary>
    public ResourceBag Remaining { get; private set; }

    /// <summary>The tasks placed so far, in order.</summary>
    public IReadOnlyList<TaskInfo> Tasks => _tasks;

    /// <summary>True when what is left holds <paramref name="needs"/> and <paramref name="ports"/> more ports.</summary>
    /// <param name="needs">The resources, e.g. <c>ResourceBag.Parse("cpus:0.1;mem:32")</c> (roles are ignored:
    /// the offer's own are used).</param>
    /// <param name="ports">How many ports the task needs, any of the offered ones.</param>
    public bool Fits(ResourceBag needs, int ports = 0) => TryTake(needs, ports, out _, out _, commit: false);

    /// <summary>Takes <paramref name="needs"/> and <paramref name="ports"/> ports out of what is left.</summary>
    /// <param name="needs">The resources (roles are ignored: the offer's own are used).</param>
    /// <param name="ports">How many ports, any of the offered ones.</param>
    /// <param name="taken">The resources taken, with the offer's reservations and allocation role, ports included.</param>
    /// <param name="assignedPorts">The ports taken, lowest first.</param>
    /// <returns>False, taking nothing, when they do not fit.</returns>
    public bool TryTake(ResourceBag needs, int ports, out ResourceBag taken, out IReadOnlyList<ulong> assignedPorts) =>
        TryTake(needs, ports, out taken, out assignedPorts, commit: true);

    /// <summary>Places a shell command task if it fits. Its ports are in its environment as <c>PORT0</c>,
    /// <c>PORT1</c>, … (and <c>PORT</c> for the first, <c>PORTS</c> comma-separated), as Marathon sets them.</summary>
    /// <param name="taskId">The task's ID, unique within the framework; also its name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="needs">The resources, e.g. <c>ResourceBag.Parse("cpus:0.1;mem:32")</c>.</param>
    /// <param name="ports">How many ports the task needs.</param>
    /// <returns>The task (already among <see cref="Tasks"/>), or null when it does not fit.</returns>
    public TaskInfo? TryAddCommandTask(string taskId, string command, ResourceBag needs, int ports = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(command);
        if (!TryTake(needs, ports, out var taken, out var assigned))
        {
            return null;
        }

        var task = new TaskInfo
        {
            Name = taskId,
            TaskId = new TaskId(taskId),
            AgentId = Offer.AgentId,
            Resources = taken.ToWire(taken.HasRefinedReservations ? ResourceFormat.PostRefinement : ResourceFormat.PreRefinement),
            Command = new CommandInfo { Value = command, Environment = PortEnvironment(assigned) },
        };
        _tasks.Add(task);
        return task;
    }

    private bool TryTake(ResourceBag needs, int ports, out ResourceBag taken, out IReadOnlyList<ulong> assignedPorts, bool commit)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentOutOfRangeException.ThrowIfNegative(ports);
        var left = Remaining;
        var took = ResourceBag.Empty;
        foreach (var need in needs.Entries)
        {
            if (!TakeFrom(ref left, need, ref took))
            {
                (taken, assignedPorts) = (ResourceBag.Empty, []);
                return false;
            }
        }

        var portList = new List<ulong>();
        foreach (var entry in Usable(left, Ports, ResourceValueType.RANGES).ToList())
        {
            var wanted = ports - portList.Count;
            if (wanted == 0)
            {
                break;
            }

            var chosen = entry.Value.Ranges.Ranges.SelectMany(Values).Take(wanted).ToList();
            portList.AddRange(chosen);
            var part = ResourceBag.Of(entry.Key, ResourceValue.FromRanges(ValueRangeSet.Of(chosen.Select(p => new InclusiveRange(p, p)))));
            left = left.Subtract(part);
            took = took.Add(part);
        }

        if (portList.Count < ports)
        {
            (taken, assignedPorts) = (ResourceBag.Empty, []);
            return false;
        }

        if (commit)
        {
            Remaining = left;
        }

        (taken, assignedPorts) = (took, portList);
        return true;
    }

    /// <summary>Takes one needed entry from the offer's entries of the same name and type: scalars may be
    /// split across several (reserved, then unreserved); ranges and sets must fit in one.</summary>
    private static bool TakeFrom(ref ResourceBag left, ResourceEntry need, ref ResourceBag took)
    {
        var candidates = Usable(left, need.Key.Name, need.Key.Type).ToList();
        if (need.Key.Type != ResourceValueType.SCALAR)
        {
            var holder = candidates.FirstOrDefault(e => e.Value.Contains(need.Value));
            if (holder.Key is null)
            {
                return false;
            }

            var part = ResourceBag.Of(holder.Key, need.Value);
            (left, took) = (left.Subtract(part), took.Add(part));
            return true;
        }

        var wanted = need.Value.Scalar;
        foreach (var entry in candidates)
        {
            if (wanted.IsZero)
            {
                break;
            }

            var amount = FixedPoint.Min(wanted, entry.Value.Scalar);
            var part = ResourceBag.Of(entry.Key, ResourceValue.FromScalar(amount));
            (left, took) = (left.Subtract(part), took.Add(part));
            wanted -= amount;
        }

        return wanted.IsZero;
    }

    /// <summary>Entries a plain task may use: not revocable, shared or a persistent volume; reserved first.</summary>
    private static IEnumerable<ResourceEntry> Usable(ResourceBag bag, string name, ResourceValueType type) => bag.Entries
        .Where(e => e.Key.Name == name && e.Key.Type == type && !e.Key.Revocable && !e.Key.Shared && !e.Key.IsPersistentVolume && !e.Value.IsEmpty)
        .OrderBy(e => e.Key.IsUnreserved);

    private static IEnumerable<ulong> Values(InclusiveRange range)
    {
        for (var port = range.Begin; ; port++)
        {
            yield return port;
            if (port == range.End)
            {
                yield break;
            }
        }
    }

    private static CommandEnvironment? PortEnvironment(IReadOnlyList<ulong> ports)
    {
        if (ports.Count == 0)
        {
            return null;
        }

        var text = ports.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
        var variables = text.Select((p, i) => new EnvironmentVariable { Name = "PORT" + i.ToString(CultureInfo.InvariantCulture), Value = p }).ToList();
        variables.Add(new EnvironmentVariable { Name = "PORT", Value = text[0] });
        variables.Add(new EnvironmentVariable { Name = "PORTS", Value = string.Join(',', text) });
        return new CommandEnvironment { Variables = variables };
    }
}
