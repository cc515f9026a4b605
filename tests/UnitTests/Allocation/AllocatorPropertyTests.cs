using Mesos.Orleans.Grains.Allocation;
using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.UnitTests.Allocation;

/// <summary>Seeded random walks over the allocator's whole API, checked against a model of what a master
/// would know (offers outstanding, who is active, suppressed, filtered): offers never exceed an agent,
/// never go to an inactive framework, a suppressed role, an ineligible agent or past a quota limit, never
/// repeat what a live filter refuses; and once everything is handed back and everyone is willing, every
/// agent is offered whole.</summary>
public sealed class AllocatorPropertyTests
{
    private static readonly string[] Roles = ["a", "a/x", "b", "c"];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 50; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    public static TheoryData<int> FewerSeeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 20; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_operations_keep_allocations_safe_and_every_agent_is_eventually_offered(int seed)
    {
        new Walk(seed, changeRoles: false).Run(steps: 200);
    }

    /// <summary>The same walks, with frameworks also joining and leaving roles (UPDATE_FRAMEWORK) while they
    /// still hold offers in them.</summary>
    [Theory]
    [MemberData(nameof(FewerSeeds))]
    public void Random_operations_with_role_changes_keep_allocations_safe(int seed)
    {
        new Walk(seed + 1000, changeRoles: true).Run(steps: 200);
    }

    private sealed class Walk
    {
        private static readonly TimeSpan MinRefusal = TimeSpan.FromSeconds(1);
        private readonly Random _random;
        private readonly AllocatorHarness _h = new(new AllocatorOptions { MinRefusal = MinRefusal });
        private readonly Dictionary<AgentId, ResourceBag> _totals = [];
        private readonly HashSet<AgentId> _inactiveAgents = [];
        private readonly HashSet<AgentId> _unavailableAgents = [];
        private readonly Dictionary<FrameworkId, FrameworkModel> _frameworks = [];
        private readonly Dictionary<(FrameworkId Framework, AgentId Agent), ResourceBag> _outstanding = [];
        private readonly Dictionary<(FrameworkId Framework, AgentId Agent, string Role), (ResourceBag Declined, DateTimeOffset Expires)> _lastFilter = [];
        private readonly Dictionary<string, ResourceQuantities> _limits = new(StringComparer.Ordinal);
        private readonly List<string> _log = [];
        private readonly bool _changeRoles;
        private int _step;

        public Walk(int seed, bool changeRoles)
        {
            _changeRoles = changeRoles;
            _random = new Random(seed);

            // Limits on a (so a/x too) and c; a guarantee only on b, which has no limit and is the only role
            // with reservations, so reservations never meet a limit and headroom never starves b.
            foreach (var role in new[] { "a", "c" })
            {
                if (_random.Next(3) > 0)
                {
                    _limits[role] = ResourceQuantities.Parse($"cpus:{_random.Next(1, 8)};mem:{256 * _random.Next(1, 16)}");
                    _h.Allocator.SetQuota(role, ResourceQuantities.Empty, _limits[role]);
                    Log($"limit {role} {_limits[role]}");
                }
            }

            if (_random.Next(2) == 0)
            {
                var guarantee = ResourceQuantities.Parse($"cpus:{_random.Next(1, 12)};mem:{256 * _random.Next(1, 24)}");
                _h.Allocator.SetQuota("b", guarantee, ResourceQuantities.Empty);
                Log($"guarantee b {guarantee}");
            }

            foreach (var role in Roles)
            {
                if (_random.Next(3) == 0)
                {
                    var weight = _random.Next(1, 4);
                    _h.Allocator.SetWeight(role, weight);
                    Log($"weight {role} {weight}");
                }
            }

            for (var i = _random.Next(2, 6); i > 0; i--)
            {
                AddAgent();
            }

            for (var i = _random.Next(2, 6); i > 0; i--)
            {
                AddFramework();
            }
        }

        private DateTimeOffset Now => _h.Time.GetUtcNow();

        /// <summary>The operations so far, for failure messages.</summary>
        private string History => string.Join(Environment.NewLine, _log.TakeLast(40));

        private void Log(string what) => _log.Add($"[{_step}] {what}");

        public void Run(int steps)
        {
            for (_step = 0; _step < steps; _step++)
            {
                if (_random.Next(100) < 35)
                {
                    Allocate();
                }
                else
                {
                    Mutate();
                }

                Assert.Equal(0, _h.Allocator.AccountingErrors);
            }

            CheckProgress();
        }

        private void Allocate(bool interleave = true)
        {
            IReadOnlyList<AllocatorOffer> offers;
            if (interleave && _random.Next(5) == 0)
            {
                // Decide on a snapshot, let the world move, then commit: stale offers must be dropped.
                var plan = AllocationDecider.Decide(_h.Allocator.TakeSnapshot());
                Log("decided; before commit:");
                Mutate();
                offers = _h.Allocator.Commit(plan);
            }
            else
            {
                offers = _h.Allocate();
            }

            Log($"allocate: {string.Join(" | ", offers.Select(o => $"{o.FrameworkId.Value}@{o.AgentId.Value}/{o.Role}: {o.Resources.WithAllocationRole(null)}"))}");
            foreach (var offer in offers)
            {
                CheckOffer(offer);
                var key = (offer.FrameworkId, offer.AgentId);
                _outstanding[key] = _outstanding.GetValueOrDefault(key, ResourceBag.Empty).Add(offer.Resources);
            }

            CheckAgents();
            CheckLimits();
        }

        private void CheckOffer(AllocatorOffer offer)
        {
            var where = $"{History}{Environment.NewLine}step {_step}: offer of {offer.Resources} on {offer.AgentId.Value} to {offer.FrameworkId.Value} in '{offer.Role}'";
            Assert.False(offer.Resources.IsEmpty, where);
            Assert.True(_frameworks.TryGetValue(offer.FrameworkId, out var framework), $"{where}: unknown framework");
            Assert.True(framework!.Active, $"{where}: framework is inactive");
            Assert.Contains(offer.Role, framework.Roles);
            Assert.False(framework.Suppressed.Contains(offer.Role), $"{where}: role is suppressed");
            Assert.True(_totals.ContainsKey(offer.AgentId), $"{where}: agent was removed");
            Assert.False(_inactiveAgents.Contains(offer.AgentId), $"{where}: agent is inactive");
            Assert.False(_unavailableAgents.Contains(offer.AgentId), $"{where}: agent is draining");
            Assert.All(offer.Resources.Entries, e => Assert.Equal(offer.Role, e.Key.AllocationRole));
            Assert.All(offer.Resources.Entries, e => Assert.True(e.Key.IsAllocatableTo(offer.Role), $"{where}: {e} is reserved to another role"));

            if (_lastFilter.TryGetValue((offer.FrameworkId, offer.AgentId, offer.Role), out var filter) && filter.Expires > Now)
            {
                Assert.False(filter.Declined.Contains(offer.Resources.WithAllocationRole(null)), $"{where}: refused by a filter on {filter.Declined} until {filter.Expires}{Environment.NewLine}{History}");
            }
        }

        private void CheckAgents()
        {
            foreach (var (agent, total) in _totals)
            {
                var allocated = _outstanding.Where(o => o.Key.Agent == agent).Aggregate(ResourceBag.Empty, (sum, o) => sum.Add(o.Value));
                Assert.True(total.Contains(allocated.WithAllocationRole(null)), $"step {_step}: {agent.Value} has {total} but {allocated} is allocated{Environment.NewLine}{History}");
                Assert.Equal(allocated, _h.Allocator.Agent(agent)!.Allocated);
            }
        }

        private void CheckLimits()
        {
            foreach (var (role, limit) in _limits)
            {
                var held = _outstanding.Values
                    .SelectMany(bag => bag.Entries)
                    .Where(e => e.Key.AllocationRole is { } r && (r == role || r.StartsWith(role + "/", StringComparison.Ordinal)))
                    .Aggregate(ResourceBag.Empty, (sum, e) => sum.Add(ResourceBag.Of(e)));
                foreach (var (name, amount) in limit.Amounts)
                {
                    Assert.True(held.ScalarOf(name) <= amount, $"step {_step}: role '{role}' holds {held} over its limit {limit}{Environment.NewLine}{History}");
                }
            }
        }

        private void Mutate()
        {
            switch (_random.Next(100))
            {
                case < 30:
                    RecoverSome();
                    break;
                case < 42:
                    var by = TimeSpan.FromMilliseconds(_random.Next(0, 10_000));
                    _h.Time.Advance(by);
                    Log($"advance {by}");
                    break;
                case < 50:
                    SuppressOrRevive();
                    break;
                case < 56:
                    WithFramework(f =>
                    {
                        f.Active = !f.Active;
                        _h.Allocator.SetFrameworkActive(f.Id, f.Active);
                        Log($"{f.Id.Value} active={f.Active}");
                    });
                    break;
                case < 62:
                    if (_changeRoles)
                    {
                        WithFramework(ChangeRoles);
                    }

                    break;
                case < 68:
                    AddAgent();
                    break;
                case < 73:
                    RemoveAgent();
                    break;
                case < 82:
                    ToggleAgent();
                    break;
                case < 90:
                    AddFramework();
                    break;
                default:
                    WithFramework(RemoveFramework);
                    break;
            }
        }

        private void RecoverSome()
        {
            if (_outstanding.Count == 0)
            {
                return;
            }

            var key = Pick(_outstanding.Keys.OrderBy(k => k.Framework.Value, StringComparer.Ordinal).ThenBy(k => k.Agent.Value, StringComparer.Ordinal).ToList());
            var held = _outstanding[key];
            var part = _random.Next(3) == 0
                ? held
                : ResourceBag.Of(held.Entries.Where(_ => _random.Next(2) == 0));
            if (part.IsEmpty)
            {
                part = held;
            }

            TimeSpan? refuse = _random.Next(5) switch
            {
                0 => null,
                1 => TimeSpan.Zero,
                2 => TimeSpan.FromMilliseconds(200),
                3 => TimeSpan.FromSeconds(5),
                _ => TimeSpan.FromSeconds(30),
            };

            _h.Allocator.RecoverResources(key.Framework, key.Agent, part, refuse);
            Log($"recover {key.Framework.Value}@{key.Agent.Value}: {part} refuse {refuse}");
            var rest = held.Subtract(part);
            if (rest.IsEmpty)
            {
                _outstanding.Remove(key);
            }
            else
            {
                _outstanding[key] = rest;
            }

            if (refuse is { } r && r > TimeSpan.Zero)
            {
                var expires = Now + (r < MinRefusal ? MinRefusal : r);
                foreach (var (role, declined) in part.Allocations())
                {
                    _lastFilter[(key.Framework, key.Agent, role)] = (declined.WithAllocationRole(null), expires);
                }
            }
        }

        private void SuppressOrRevive()
        {
            WithFramework(f =>
            {
                var roles = _random.Next(3) == 0 ? null : f.Roles.Where(_ => _random.Next(2) == 0).ToList();
                var affected = roles ?? [.. f.Roles];
                if (_random.Next(2) == 0)
                {
                    _h.Allocator.Suppress(f.Id, roles);
                    Log($"suppress {f.Id.Value} {string.Join(",", affected)}");
                    f.Suppressed.UnionWith(affected);
                }
                else
                {
                    _h.Allocator.Revive(f.Id, roles);
                    Log($"revive {f.Id.Value} {string.Join(",", affected)}");
                    f.Suppressed.ExceptWith(affected);
                    DropFilters(f.Id, affected);
                }
            });
        }

        private void ChangeRoles(FrameworkModel framework)
        {
            var roles = RandomRoles();
            var left = framework.Roles.Except(roles).ToList();
            framework.Roles = roles;
            framework.Suppressed.IntersectWith(roles);
            _h.Allocator.UpdateFramework(framework.Id, roles, framework.Suppressed.ToList());
            Log($"update {framework.Id.Value} roles {string.Join(",", roles)}");
            DropFilters(framework.Id, left);
        }

        private void AddAgent()
        {
            var text = $"cpus:{_random.Next(1, 9)};mem:{256 * _random.Next(1, 17)}";
            if (_random.Next(3) == 0)
            {
                text += $";cpus(b):{_random.Next(1, 4)};mem(b):{256 * _random.Next(1, 5)}";
            }

            var id = _h.AddAgent(text);
            _totals[id] = ResourceBag.Parse(text);
            Log($"add {id.Value} {text}");
        }

        private void RemoveAgent()
        {
            if (_totals.Count == 0)
            {
                return;
            }

            var agent = Pick(_totals.Keys.OrderBy(a => a.Value, StringComparer.Ordinal).ToList());
            _h.Allocator.RemoveAgent(agent);
            Log($"remove {agent.Value}");
            _totals.Remove(agent);
            _inactiveAgents.Remove(agent);
            _unavailableAgents.Remove(agent);
            foreach (var key in _outstanding.Keys.Where(k => k.Agent == agent).ToList())
            {
                _outstanding.Remove(key);
            }

            foreach (var key in _lastFilter.Keys.Where(k => k.Agent == agent).ToList())
            {
                _lastFilter.Remove(key);
            }
        }

        private void ToggleAgent()
        {
            if (_totals.Count == 0)
            {
                return;
            }

            var agent = Pick(_totals.Keys.OrderBy(a => a.Value, StringComparer.Ordinal).ToList());
            if (_random.Next(2) == 0)
            {
                var active = !_inactiveAgents.Remove(agent);
                if (!active)
                {
                    _inactiveAgents.Add(agent);
                }

                _h.Allocator.SetAgentActive(agent, active);
                Log($"{agent.Value} active={active}");
            }
            else
            {
                var unavailable = _unavailableAgents.Add(agent);
                if (!unavailable)
                {
                    _unavailableAgents.Remove(agent);
                }

                _h.Allocator.SetAgentUnavailable(agent, unavailable);
                Log($"{agent.Value} unavailable={unavailable}");
            }
        }

        private void AddFramework()
        {
            var roles = RandomRoles();
            var id = _h.AddFramework([.. roles]);
            _frameworks[id] = new FrameworkModel(id, roles);
            Log($"add {id.Value} roles {string.Join(",", roles)}");
        }

        private void RemoveFramework(FrameworkModel framework)
        {
            // The owner recovers the framework's offers and tasks, then removes it.
            foreach (var key in _outstanding.Keys.Where(k => k.Framework == framework.Id).ToList())
            {
                _h.Allocator.RecoverResources(key.Framework, key.Agent, _outstanding[key]);
                _outstanding.Remove(key);
            }

            _h.Allocator.RemoveFramework(framework.Id);
            Log($"remove {framework.Id.Value}");
            _frameworks.Remove(framework.Id);
            DropFilters(framework.Id, null);
        }

        private void DropFilters(FrameworkId framework, IReadOnlyCollection<string>? roles)
        {
            foreach (var key in _lastFilter.Keys.Where(k => k.Framework == framework && (roles is null || roles.Contains(k.Role))).ToList())
            {
                _lastFilter.Remove(key);
            }
        }

        private List<string> RandomRoles()
        {
            var roles = Roles.Where(_ => _random.Next(3) == 0).ToList();
            return roles.Count > 0 ? roles : [Pick(Roles)];
        }

        private void WithFramework(Action<FrameworkModel> action)
        {
            if (_frameworks.Count > 0)
            {
                action(Pick(_frameworks.Values.OrderBy(f => f.Id.Value, StringComparer.Ordinal).ToList()));
            }
        }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        /// <summary>Everything handed back, every agent and framework willing, filters gone: each agent is
        /// offered whole within a few runs (b has neither a limit nor anyone's headroom to respect).</summary>
        private void CheckProgress()
        {
            foreach (var agent in _totals.Keys)
            {
                _h.Allocator.SetAgentActive(agent, true);
                _h.Allocator.SetAgentUnavailable(agent, false);
            }

            _inactiveAgents.Clear();
            _unavailableAgents.Clear();
            foreach (var framework in _frameworks.Values)
            {
                framework.Active = true;
                _h.Allocator.SetFrameworkActive(framework.Id, true);
                _h.Allocator.Revive(framework.Id, null);
                framework.Suppressed.Clear();
                DropFilters(framework.Id, null);
            }

            foreach (var ((framework, agent), held) in _outstanding.ToList())
            {
                _h.Allocator.RecoverResources(framework, agent, held);
            }

            _outstanding.Clear();
            _h.Time.Advance(TimeSpan.FromHours(1));
            AddFrameworkIn("b");

            for (var run = 0; run < 3; run++)
            {
                Allocate(interleave: false);
            }

            foreach (var (agent, total) in _totals)
            {
                var offered = _outstanding.Where(o => o.Key.Agent == agent).Aggregate(ResourceBag.Empty, (sum, o) => sum.Add(o.Value));
                Assert.True(offered.WithAllocationRole(null).Equals(total), $"{agent.Value} ({total}) was offered only {offered}{Environment.NewLine}{History}");
            }
        }

        private void AddFrameworkIn(string role)
        {
            var id = _h.AddFramework(role);
            _frameworks[id] = new FrameworkModel(id, [role]);
        }
    }

    private sealed class FrameworkModel(FrameworkId id, List<string> roles)
    {
        public FrameworkId Id { get; } = id;

        public List<string> Roles { get; set; } = roles;

        public HashSet<string> Suppressed { get; } = new(StringComparer.Ordinal);

        public bool Active { get; set; } = true;
    }
}
