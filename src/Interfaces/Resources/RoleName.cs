namespace Mesos.Orleans.Interfaces.Resources;

/// <summary>Mesos role names. Roles are hierarchical paths ("eng/backend" is a child of "eng"); "*" is
/// the default role that stands for "unreserved" and cannot be part of a path.</summary>
public static class RoleName
{
    /// <summary>The default role; resources with no reservation belong to it.</summary>
    public const string Any = "*";

    /// <summary>Validates a role as Mesos does: not empty; no leading, trailing or doubled '/'; no path
    /// component that is ".", "..", "*" (unless the whole role is "*"), starts with '-', or contains
    /// whitespace, control characters or DEL. Returns null when valid, else the reason.</summary>
    public static string? Validate(string? role)
    {
        if (string.IsNullOrEmpty(role))
        {
            return "Empty role name is invalid";
        }

        if (role == Any)
        {
            return null;
        }

        if (role[0] == '/' || role[^1] == '/')
        {
            return $"Role name '{role}' is invalid because it starts or ends with a slash";
        }

        foreach (var component in role.Split('/'))
        {
            if (component.Length == 0)
            {
                return $"Role name '{role}' is invalid because it contains an empty path component";
            }

            if (component is "." or "..")
            {
                return $"Role name '{role}' is invalid because it contains a '{component}' path component";
            }

            if (component == Any)
            {
                return $"Role name '{role}' is invalid because '*' cannot be part of a hierarchical role";
            }

            if (component[0] == '-')
            {
                return $"Role name '{role}' is invalid because a path component starts with a dash";
            }

            foreach (var c in component)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return $"Role name '{role}' is invalid because it contains whitespace or control characters";
                }
            }
        }

        return null;
    }

    public static bool IsValid(string? role) => Validate(role) is null;

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="role"/> itself or one of its
    /// ancestors in the hierarchy, comparing whole path components ("eng" is an ancestor of
    /// "eng/backend" but not of "engineering"). "*" is no one's ancestor: it is not a reservation role.</summary>
    public static bool IsSelfOrAncestor(string ancestor, string role)
    {
        ArgumentNullException.ThrowIfNull(ancestor);
        ArgumentNullException.ThrowIfNull(role);
        if (ancestor == Any)
        {
            return false;
        }

        return role.Length == ancestor.Length
            ? string.Equals(role, ancestor, StringComparison.Ordinal)
            : role.Length > ancestor.Length
              && role[ancestor.Length] == '/'
              && role.StartsWith(ancestor, StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="ancestor"/> is a proper ancestor of <paramref name="role"/>.</summary>
    public static bool IsStrictAncestor(string ancestor, string role) =>
        IsSelfOrAncestor(ancestor, role) && ancestor.Length != role.Length;
}
