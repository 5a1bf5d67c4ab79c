// The placement rule shared by training rows and `generate`: placeholders take images in order, extra images lead,
// too many placeholders is an error naming both counts.
using Rethinker.Models.Tokenization;

namespace Rethinker.Models.Tests.Tokenization;

public class ImagePlaceholdersTests
{
    static ChatContent Img(int i) => new ImageContent(1, i + 1, i + 1);

    [Fact]
    public void Placeholders_TakeImagesInOrder_AndUnplacedImagesLead()
    {
        Assert.Equal([Img(0), new TextContent("\nWhat is shown?")], ImagePlaceholders.UserParts("<image>\nWhat is shown?", 1, Img));
        Assert.Equal([Img(0), Img(1), new TextContent("Compare.")], ImagePlaceholders.UserParts("Compare.", 2, Img));
        Assert.Equal([Img(0), new TextContent("A "), Img(1), new TextContent(" B")], ImagePlaceholders.UserParts("A <image> B", 2, Img));
        Assert.Equal([new TextContent("no image")], ImagePlaceholders.UserParts("no image", 0, Img));
    }

    [Fact]
    public void MorePlaceholdersThanImages_IsAnErrorNamingBothCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => ImagePlaceholders.UserParts("<image><image>q", 1, Img));
        Assert.Contains("2 <image> placeholders but 1 images", e.Message);
    }
}
