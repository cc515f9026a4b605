namespace Mesos.Orleans.Grains.Core;

/// <summary>Mesos's role name rules: "*" or path segments that are neither empty, ".", "..", nor start with
/// "-", and hold no whitespace, control characters or backslashes.</summary>
public static class RoleNames
{
    public static string? Validate(string role)
    {
        if (role == "*")
        {
            return null;
        }

        if (role.Length == 0)
        {
            return "Empty role name is invalid";
        }

        foreach (var segment in role.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "Role path must not contain empty components";
            }

            if (segment is "." or ".." or "*")
            {
                return $"Role name component '{segment}' is reserved";
            }

            if (segment[0] == '-')
            {
                return "Role name components must not start with '-'";
            }

            if (segment.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
            {
                return "Role name must not contain whitespace, control characters or backslashes";
            }
        }

        return null;
    }
}
