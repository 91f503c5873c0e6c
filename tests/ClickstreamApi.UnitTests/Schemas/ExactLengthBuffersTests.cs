using ClickstreamApi.Schemas;

namespace ClickstreamApi.UnitTests.Schemas;

public sealed class ExactLengthBuffersTests
{
    [Fact]
    public void A_copy_has_exactly_the_content()
    {
        var buffers = new ExactLengthBuffers();

        Assert.Equal("hello"u8.ToArray(), buffers.Copy("hello"u8));
        Assert.Equal("hi"u8.ToArray(), buffers.Copy("hi"u8));
    }

    [Fact]
    public void The_same_length_reuses_the_same_array_and_other_lengths_do_not_disturb_it()
    {
        var buffers = new ExactLengthBuffers();

        var first = buffers.Copy("abc"u8);
        var other = buffers.Copy("abcd"u8);
        var second = buffers.Copy("xyz"u8);

        Assert.Same(first, second);
        Assert.Equal("xyz"u8.ToArray(), second);
        Assert.Equal("abcd"u8.ToArray(), other);
    }
}
