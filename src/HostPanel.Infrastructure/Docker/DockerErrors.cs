using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using HostPanel.Core.Engine;

namespace HostPanel.Infrastructure.Docker;

/// <summary>Turns Docker client failures into HostPanel's engine errors, with the engine's own words kept.</summary>
internal static class DockerErrors
{
    public static async Task<T> Call<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(what, e) is { } translated)
        {
            throw translated;
        }
    }

    public static async Task Call(string what, Func<Task> call) =>
        await Call<bool>(what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    public static bool IsNotFound(Exception e) => e is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>One short sentence on why the engine could not be reached.</summary>
    public static string Describe(Exception e) => e switch
    {
        DockerApiException api => $"the engine answered {(int)api.StatusCode}: {Trim(api.ResponseBody)}",
        TimeoutException or TaskCanceledException => "the engine did not answer in time",
        HttpRequestException { InnerException: SocketException s } => $"cannot connect to the engine socket ({s.SocketErrorCode})",
        SocketException s => $"cannot connect to the engine socket ({s.SocketErrorCode})",
        _ when e.InnerException is not null && e is not ContainerEngineException => Describe(e.InnerException),
        _ => e.Message,
    };

    private static ContainerEngineException? Translate(string what, Exception e) => e switch
    {
        ContainerEngineException or NotManagedByHostPanelException or OperationCanceledException => null,
        DockerApiException or HttpRequestException or SocketException or TimeoutException or IOException
            => new ContainerEngineException($"Docker engine: could not {what}: {Describe(e)}", e),
        _ => null,
    };

    private static string Trim(string? body)
    {
        body = (body ?? string.Empty).Trim();
        return body.Length > 300 ? body[..300] + "…" : body;
    }
}
