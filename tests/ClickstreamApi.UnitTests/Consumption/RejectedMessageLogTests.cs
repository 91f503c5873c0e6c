using ClickstreamApi.Consumption;
using Microsoft.Extensions.Options;

namespace ClickstreamApi.UnitTests.Consumption;

public sealed class RejectedMessageLogTests
{
    [Fact]
    public void Every_rejection_is_counted_even_when_the_list_is_full()
    {
        var log = new RejectedMessageLog(Options.Create(new ConsumerOptions { RejectedCapacity = 2 }));

        log.Add(Rejected("not_json", offset: 1));
        log.Add(Rejected("not_json", offset: 2));
        log.Add(Rejected("missing_field", offset: 3));

        Assert.Equal(3, log.Total);
        Assert.Equal([3L, 2], log.Newest().Select(m => m.Offset));
        Assert.Equal(2, log.CountsByReason()["not_json"]);
        Assert.Equal(1, log.CountsByReason()["missing_field"]);
    }

    private static RejectedMessage Rejected(string reason, long offset) =>
        new(reason, "detail", 0, offset, DateTimeOffset.UnixEpoch, 3, "abc", DateTimeOffset.UnixEpoch);
}
