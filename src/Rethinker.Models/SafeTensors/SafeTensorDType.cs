// The safetensors element types Rethinker reads (https://github.com/huggingface/safetensors, "dtype" strings).
// Floats (F32/F16/BF16/F64) convert to float32 on demand; integers and bytes are exposed raw (fixture inputs).
// Left out: F8 variants, complex types.
namespace Rethinker.Models.SafeTensors;

public enum SafeTensorDType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool }

public static class SafeTensorDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafeTensorDType t) => t switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 => 2,
        _ => 1,
    };

    public static bool IsFloat(this SafeTensorDType t) =>
        t is SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.F64;

    /// <summary>The header spelling ("F32", "BF16", "I64", "U8", "BOOL").</summary>
    public static string ToHeaderString(this SafeTensorDType t) => t == SafeTensorDType.Bool ? "BOOL" : t.ToString().ToUpperInvariant();

    public static bool TryParse(string s, out SafeTensorDType t)
    {
        switch (s)
        {
            case "F32": t = SafeTensorDType.F32; return true;
            case "F16": t = SafeTensorDType.F16; return true;
            case "BF16": t = SafeTensorDType.BF16; return true;
            case "F64": t = SafeTensorDType.F64; return true;
            case "I64": t = SafeTensorDType.I64; return true;
            case "I32": t = SafeTensorDType.I32; return true;
            case "I16": t = SafeTensorDType.I16; return true;
            case "I8": t = SafeTensorDType.I8; return true;
            case "U8": t = SafeTensorDType.U8; return true;
            case "BOOL": t = SafeTensorDType.Bool; return true;
            default: t = default; return false;
        }
    }
}

/// <summary>A checkpoint file that is not a valid safetensors file; the message names the file, the tensor and the fault.</summary>
public sealed class SafeTensorsFormatException(string message) : IOException(message);
