using System.Buffers;
using System.Text.Json;
using Mesos.Orleans.Grains.Core;
using Mesos.Orleans.Interfaces.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Mesos.Orleans.Silo.Http;

/// <summary>The checks every v1 POST endpoint makes, in Mesos's order: method, Content-Type, body size,
/// JSON parse. Errors are plain text with the status Mesos gives.</summary>
public static class MesosRequest
{
    /// <summary>No Mesos call comes close; a larger body is refused before it is buffered.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static async Task<(T? Call, CallResult? Error)> ReadAsync<T>(HttpContext context, long maxBodyBytes = MaxBodyBytes)
        where T : class
    {
        var (parsed, error) = await ReadBodyAsync(context, maxBodyBytes, body => Parse<T>(body.IsSingleSegment ? body.FirstSpan : body.ToArray()));
        return error is not null ? (null, error) : parsed;
    }

    /// <summary>Checks a JSON call's method, type and length, reads its body into a pooled buffer and hands it
    /// to <paramref name="use"/>, which must be done with the bytes when it returns; an error instead when the
    /// request is not one.</summary>
    public static async Task<(TResult? Result, CallResult? Error)> ReadBodyAsync<TResult>(
        HttpContext context, long maxBodyBytes, Func<ReadOnlySequence<byte>, TResult> use)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            return (default, new CallResult(405, $"Expecting 'POST', received '{request.Method}'"));
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            return (default, CallResult.BadRequest("Expecting 'Content-Type' to be present"));
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (default, new CallResult(415, $"Expecting 'Content-Type' of application/json; this master does not accept '{request.ContentType}'"));
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return (default, new CallResult(413, $"Request body is larger than {maxBodyBytes} bytes"));
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBodyBytes;
        }

        // The body goes into a pooled buffer: calls arrive all the time (usage reports from every agent),
        // and a fresh array per call would be a steady stream of large-object-heap garbage.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 1, maxBodyBytes));
        try
        {
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (default, new CallResult(413, $"Request body is larger than {maxBodyBytes} bytes"));
            }
            catch (BadHttpRequestException e)
            {
                return (default, new CallResult(e.StatusCode, $"Failed to read the request body: {e.Message}"));
            }

            return (use(new ReadOnlySequence<byte>(buffer, 0, length)), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (T? Call, CallResult? Error) Parse<T>(ReadOnlySpan<byte> body)
        where T : class
    {
        try
        {
            var call = MesosJson.Deserialize<T>(body);
            if (call is null)
            {
                return (null, CallResult.BadRequest("Failed to parse body into JSON: the body is null"));
            }

            var missing = RequiredFields.FindMissing(call);
            return missing.Count > 0
                ? (null, CallResult.BadRequest($"Failed to convert JSON into Call protobuf: Missing required fields: {string.Join(", ", missing)}"))
                : (call, null);
        }
        catch (JsonException e)
        {
            return (null, CallResult.BadRequest($"Failed to convert JSON into Call protobuf: {e.Message}"));
        }
    }

    /// <summary>True when the Accept header admits JSON (absent counts as accepting everything).</summary>
    public static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept is not { Count: > 0 })
        {
            return true;
        }

        return accept.Any(a => (a.Quality ?? 1) > 0 && (
            a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
            a.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase) ||
            a.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)));
    }

    public static Task WriteAsync(HttpContext context, CallResult result)
    {
        context.Response.StatusCode = result.StatusCode;
        if (result.Message is null)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(result.Message, context.RequestAborted);
    }
}
