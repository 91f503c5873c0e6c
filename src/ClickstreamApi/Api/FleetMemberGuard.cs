using ClickstreamApi.Fleet;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.Api;

/// <summary>
/// On a fleet member the generator follows the fleet's commands: the single instance's start, stop,
/// rate and faults endpoints answer 409 and point at /api/fleet, rather than fight the fleet.
/// </summary>
internal sealed class FleetMemberGuard(IOptions<FleetOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!options.Value.Enabled)
        {
            return next(context);
        }

        var fleetPath = context.HttpContext.Request.Path.Value?.Replace("/api/generator", "/api/fleet", StringComparison.Ordinal);
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            $"This instance is a member of fleet {options.Value.Name}: its generator follows the fleet's commands. Use {context.HttpContext.Request.Method} {fleetPath} on any member.",
            statusCode: StatusCodes.Status409Conflict,
            title: "Steered by the fleet."));
    }
}
