namespace ClickstreamApi.IntegrationTests.Infrastructure;

/// <summary>
/// Test classes that take five seconds or more (processes, outages, restarts, a browser) carry
/// <c>[Trait("Category", "Slow")]</c>; the README's test section shows how to leave them out for a
/// quick round (<c>dotnet test --filter-not-trait Category=Slow</c>). <c>dotnet test</c> runs everything.
/// </summary>
public static class TestCategories
{
    public const string Name = "Category";

    public const string Slow = "Slow";
}
