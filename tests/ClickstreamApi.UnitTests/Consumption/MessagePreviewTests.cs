using System.Text;
using ClickstreamApi.Consumption;

namespace ClickstreamApi.UnitTests.Consumption;

public sealed class MessagePreviewTests
{
    [Fact]
    public void Plain_text_is_kept_as_it_is() =>
        Assert.Equal("User 42 clicked on /page3", MessagePreview.Create("User 42 clicked on /page3"u8, 100));

    [Fact]
    public void Control_characters_and_backslashes_are_escaped() =>
        Assert.Equal("a\\nb\\tc\\u0000d\\\\e", MessagePreview.Create("a\nb\tc\0d\\e"u8, 100));

    [Fact]
    public void Bytes_that_are_not_utf8_are_shown_as_hex()
    {
        byte[] binary = [0xFF, 0x41, 0xC3];

        Assert.Equal("\\xFFA\\xC3", MessagePreview.Create(binary, 100));
    }

    [Fact]
    public void Non_ascii_text_survives() =>
        Assert.Equal("café ☕", MessagePreview.Create(Encoding.UTF8.GetBytes("café ☕"), 100));

    [Fact]
    public void Long_values_are_cut_with_an_ellipsis()
    {
        var preview = MessagePreview.Create(Encoding.UTF8.GetBytes(new string('x', 1000)), 10);

        Assert.Equal(new string('x', 10) + "…", preview);
    }

    [Fact]
    public void Markup_stays_text_for_the_caller_to_encode() =>
        Assert.Equal("<script>", MessagePreview.Create("<script>"u8, 100));
}
