using System.Security.Cryptography;
using System.Text;

namespace CompatLab.Engine.Training;

/// <summary>
/// Derives independent seeds for each purpose (old model init, new model init, data order) from the run seed, so
/// the old and the new model never share initial weights (methods.md §1) and a run repeats exactly.
/// </summary>
public static class SeedDerivation
{
    public static long Derive(int runSeed, string purpose)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes($"compatlab:{runSeed}:{purpose}"));
        return (long)(BitConverter.ToUInt64(digest, 0) & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    public static int DeriveInt(int runSeed, string purpose) => (int)(Derive(runSeed, purpose) & 0x7FFF_FFFF);
}
