using CompatLab.Abstractions.Data;

namespace CompatLab.Plugins.Datasets.ImageSets;

/// <summary>
/// The decode threads the host allows: DatasetLoadContext.DecodeWorkers, which arrives with the streaming engine
/// (sized from the cores and the matrix's --workers), read by name so this builds before and after it is merged;
/// one per core when the host does not say. Replace with the property itself once it is on main.
/// </summary>
internal static class HostDecodeWorkers
{
    public static int Of(DatasetLoadContext context) =>
        context.GetType().GetProperty("DecodeWorkers")?.GetValue(context) is int workers && workers > 0
            ? workers
            : Environment.ProcessorCount;
}
