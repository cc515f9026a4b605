namespace Mesos.Orleans.Grains.Core;

/// <summary>The HTTP answer to a call, as Mesos gives it: a status code and, for errors, a plain-text reason.</summary>
[GenerateSerializer]
[Immutable]
public sealed record CallResult([property: Id(0)] int StatusCode, [property: Id(1)] string? Message = null)
{
    public static CallResult Ok { get; } = new(200);

    public static CallResult Accepted { get; } = new(202);

    public static CallResult BadRequest(string message) => new(400, message);

    public static CallResult Forbidden(string message) => new(403, message);

    public static CallResult NotFound(string message) => new(404, message);

    public static CallResult Conflict(string message) => new(409, message);

    public static CallResult Unavailable(string message) => new(503, message);
}
