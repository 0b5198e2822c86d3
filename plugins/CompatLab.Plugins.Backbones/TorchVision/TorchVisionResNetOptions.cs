using System.ComponentModel;

namespace CompatLab.Plugins.Backbones;

/// <summary>
/// Options of torchvision's ResNets. <c>widths</c> is accepted only to be refused with directions: it belonged to
/// the CIFAR-style network that was called <c>resnet18</c> before these backbones took the name.
/// </summary>
public sealed class TorchVisionResNetOptions : TorchVisionOptions
{
    [Description("Not an option here: CIFAR-style widths belong to 'cifar-resnet18' (the former 'resnet18') and 'resnet-mini'.")]
    public int[]? Widths { get; set; }

    public override IEnumerable<string> Validate()
    {
        foreach (string problem in base.Validate())
        {
            yield return problem;
        }

        if (Widths is not null)
        {
            yield return "widths is an option of the CIFAR-style ResNet, which is now called 'cifar-resnet18' " +
                "('resnet18' now names torchvision's ResNet-18, whose widths are fixed): write \"type\": \"cifar-resnet18\" to keep the old network.";
        }
    }
}
