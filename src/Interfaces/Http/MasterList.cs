namespace Mesos.Orleans.Interfaces.Http;

/// <summary>The masters a client was given and the one it talks to now. A standby's redirect moves it to the
/// leader it names; a failure moves it to the configured master after the one that failed, so a client
/// redirected to a dead leader next tries the masters it has not just tried, instead of counting from where
/// it stood before the redirect.</summary>
public sealed class MasterList
{
    private readonly IReadOnlyList<Uri> _masters;

    public MasterList(IReadOnlyList<Uri> masters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(masters.Count);
        _masters = masters;
        Current = Base(masters[0]);
    }

    /// <summary>How many masters were configured.</summary>
    public int Count => _masters.Count;

    /// <summary>The master talked to now, as <c>scheme://host:port/</c>.</summary>
    public Uri Current { get; private set; }

    /// <summary>Starts at the master of that index (clients spread over the list instead of all asking the first).</summary>
    public void StartAt(int index) => Current = Base(_masters[index % _masters.Count]);

    /// <summary>Follows a standby's redirect; false when <paramref name="location"/> names no leader.</summary>
    public bool FollowRedirect(Uri? location)
    {
        if (LeaderLocation.BaseOf(Current, location) is not { } leader)
        {
            return false;
        }

        Current = leader;
        return true;
    }

    /// <summary>Moves on to the configured master after the current one (the first, when the current one came
    /// from a redirect to an address that is not in the list).</summary>
    public void MoveOn()
    {
        var index = -1;
        for (var i = 0; i < _masters.Count; i++)
        {
            if (Base(_masters[i]) == Current)
            {
                index = i;
                break;
            }
        }

        Current = Base(_masters[(index + 1) % _masters.Count]);
    }

    private static Uri Base(Uri master) => new(master.GetLeftPart(UriPartial.Authority) + "/");
}
