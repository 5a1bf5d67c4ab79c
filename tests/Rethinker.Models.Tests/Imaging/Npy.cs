// Minimal NumPy .npy (format 1.0/2.0) reader for the uint8 reference decodes: header dict → shape, data.
using System.Text;
using System.Text.RegularExpressions;

namespace Rethinker.Models.Tests.Imaging;

internal static partial class Npy
{
    public static (int[] Shape, byte[] Data) ReadUInt8(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 10 || b[0] != 0x93 || Encoding.ASCII.GetString(b, 1, 5) != "NUMPY") throw new InvalidDataException($"{path}: not an .npy file");
        int major = b[6];
        int headerLen = major == 1 ? BitConverter.ToUInt16(b, 8) : BitConverter.ToInt32(b, 8);
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(b, start, headerLen);
        if (!header.Contains("'descr': '|u1'") || header.Contains("'fortran_order': True"))
            throw new InvalidDataException($"{path}: expected uint8 C-order, header {header}");
        var shape = ShapeRegex().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        int dataStart = start + headerLen;
        long n = shape.Aggregate(1L, (a, d) => a * d);
        if (b.Length - dataStart != n) throw new InvalidDataException($"{path}: {b.Length - dataStart} data bytes for shape {string.Join('x', shape)}");
        return (shape, b[dataStart..]);
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
