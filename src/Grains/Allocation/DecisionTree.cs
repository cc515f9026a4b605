namespace Mesos.Orleans.Grains.Allocation;

/// <summary>A role in one run's tree. Children are its subroles plus, when frameworks are subscribed to the
/// role itself, a "self" node holding them — Mesos's virtual leaf, which lets a role's own frameworks
/// compete with its subroles by share.</summary>
internal sealed class RoleNode : ShareMember
{
    public RoleNode(string role, RoleNode? parent, bool isSelf, RoleConfig config, int names)
    {
        Role = role;
        Parent = parent;
        IsSelf = isSelf;
        Config = config;
        Allocated = new double[names];
        ReservedUnallocated = new double[names];
    }

    public string Role { get; }

    public RoleNode? Parent { get; }

    /// <summary>The virtual leaf holding the role's own frameworks.</summary>
    public bool IsSelf { get; }

    public RoleConfig Config { get; }

    public override string SortKey => IsSelf ? Role + "\0" : Role;

    /// <summary>Scalars allocated to the subtree (offered or in use).</summary>
    public double[] Allocated { get; }

    /// <summary>Reserved to the subtree but not allocated: counts towards quota consumption, as in Mesos.</summary>
    public double[] ReservedUnallocated { get; }

    public ShareOrder<RoleNode> Children { get; } = new();

    public ShareOrder<Client> Clients { get; } = new();

    public RoleNode? Self { get; set; }

    /// <summary>The role's own limit by resource index (+∞ where it sets none), filled once per run.</summary>
    public double[]? LimitVector { get; set; }

    /// <summary>The role's own guarantee by resource index (0 where it sets none), filled once per run.</summary>
    public double[]? GuaranteeVector { get; set; }

    /// <summary>Set in stage 2 once no minimum allocatable offer can pass the role's limits or the headroom:
    /// both only tighten as a run allocates, so the role is not probed again on later agents.</summary>
    public bool Blocked { get; set; }

    /// <summary>Children already blocked; when all are, so is this role (and a walk skips it).</summary>
    public int BlockedChildren { get; set; }

    /// <summary>Stamp of the agent this role was last served on, so one agent feeds a role at most once per stage.</summary>
    public int ServedStamp { get; set; } = -1;

    // What the run saw, for the report.
    public int Visits { get; set; }

    public int Offers { get; set; }

    public int NothingAllocatable { get; set; }

    public int LimitReached { get; set; }

    public int HeldForHeadroom { get; set; }
}

/// <summary>A framework in one of its roles, for one run.</summary>
internal sealed class Client : ShareMember
{
    public Client(FrameworkView framework, string role, RoleNode self, int names)
    {
        Framework = framework;
        Role = role;
        Self = self;
        Allocated = new double[names];
        Eligible = framework.Active && !framework.Suppressed.Contains(role);
        SingleRole = framework.Roles.Length == 1;
    }

    public FrameworkView Framework { get; }

    public string Role { get; }

    public RoleNode Self { get; }

    public bool Eligible { get; }

    public bool SingleRole { get; }

    public override string SortKey => Framework.Id.Value;

    public double[] Allocated { get; }

    public int Offers { get; set; }

    public int Considered { get; set; }

    public int Filtered { get; set; }
}
