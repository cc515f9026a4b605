using Mesos.Orleans.Interfaces.Resources;
using Mesos.Orleans.Interfaces.Scheduler;
using Mesos.Orleans.Interfaces.V1;

namespace Mesos.Orleans.Grains.Core;

/// <summary>The checks Mesos makes on a scheduler call before dispatching it, with its messages.</summary>
public static class SchedulerCallValidation
{
    /// <summary>Checks answered with 400 before a SUBSCRIBE's stream starts.</summary>
    public static CallResult? ValidateSubscribe(Call call)
    {
        if (call.Subscribe is null)
        {
            return CallResult.BadRequest("Expecting 'subscribe' to be present");
        }

        var info = call.Subscribe.FrameworkInfo;
        if (info is null)
        {
            return CallResult.BadRequest("Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info");
        }

        var missing = new List<string>();
        if (info.User is null)
        {
            missing.Add("subscribe.framework_info.user");
        }

        if (info.Name is null)
        {
            missing.Add("subscribe.framework_info.name");
        }

        if (missing.Count > 0)
        {
            return CallResult.BadRequest($"Failed to convert JSON into Call protobuf: Missing required fields: {string.Join(", ", missing)}");
        }

        if (!Equals(call.FrameworkId, info.Id))
        {
            return CallResult.BadRequest("'framework_id' differs from 'subscribe.framework_info.id'");
        }

        if (call.FrameworkId is { } id && ValidateId(id.Value) is { } idError)
        {
            return CallResult.BadRequest($"Invalid framework ID: {idError}");
        }

        return null;
    }

    /// <summary>Checks Mesos makes after answering 200; a failure becomes an ERROR event.</summary>
    public static string? ValidateFrameworkInfo(FrameworkInfo info)
    {
        var multiRole = info.HasCapability(FrameworkCapabilityType.MULTI_ROLE);
        if (multiRole && info.Role is not null)
        {
            return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
        }

        if (!multiRole && info.Roles is { Count: > 0 })
        {
            return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable";
        }

        var roles = multiRole ? info.Roles ?? [] : [info.Role ?? "*"];
        if (roles.Distinct(StringComparer.Ordinal).Count() != roles.Count)
        {
            return "'FrameworkInfo.roles' contains duplicate items";
        }

        foreach (var role in roles)
        {
            if (RoleName.Validate(role) is { } roleError)
            {
                return $"Role '{role}' is invalid: {roleError}";
            }
        }

        if (info.FailoverTimeout is { } timeout && (double.IsNaN(timeout) || double.IsInfinity(timeout) || timeout < 0))
        {
            return $"Invalid failover_timeout: {timeout}";
        }

        return null;
    }

    /// <summary>Mesos's rules for framework, task and executor IDs.</summary>
    public static string? ValidateId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "ID must not be empty";
        }

        if (id.Length > 255)
        {
            return "ID must not be longer than 255 characters";
        }

        if (id is "." or "..")
        {
            return $"'{id}' is disallowed";
        }

        foreach (var c in id)
        {
            if (char.IsControl(c) || c is '/' or '\\')
            {
                return $"'{id}' contains invalid characters";
            }
        }

        return null;
    }
}
