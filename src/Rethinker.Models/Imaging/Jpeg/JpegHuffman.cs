// Huffman tables (ITU T.81 §C, F.2.2.3) with libjpeg's validity checks, and the entropy-coded-segment
// bit reader: 0xFF00 unstuffing, zero bits after a marker (as libjpeg inserts them), error at end of data.
namespace Rethinker.Models.Imaging.Jpeg;

internal sealed class HuffmanTable
{
    const int FastBits = 9;
    readonly ushort[] _fast = new ushort[1 << FastBits]; // (length << 8) | symbol, 0 = slow path
    readonly int[] _maxCode = new int[18];               // largest code of each length, -1 if none
    readonly int[] _valOffset = new int[17];
    readonly byte[] _values;

    /// <summary>Builds the table; <paramref name="counts"/>[i] = codes of length i+1.</summary>
    public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, bool isDc, string source)
    {
        _values = values.ToArray();
        int code = 0, k = 0;
        for (int len = 1; len <= 16; len++)
        {
            int n = counts[len - 1];
            _valOffset[len] = k - code;
            for (int i = 0; i < n; i++, k++, code++)
            {
                // libjpeg's jpeg_make_d_derived_tbl: codes must fit in their length (Kraft inequality).
                if (code >= 1 << len) throw new ImageFormatException(source, "bad Huffman table: code lengths overflow (Kraft inequality violated)");
                if (len <= FastBits)
                {
                    int shift = FastBits - len;
                    for (int j = 0; j < 1 << shift; j++) _fast[(code << shift) | j] = (ushort)((len << 8) | _values[k]);
                }
            }
            _maxCode[len] = n > 0 ? code - 1 : -1;
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
        if (isDc)
            foreach (byte v in _values)
                if (v > 15) throw new ImageFormatException(source, $"bad Huffman table: DC symbol {v} > 15");
    }

    /// <summary>Decodes one symbol; an invalid code gives 0 as libjpeg does (after its warning).</summary>
    public int Decode(ref BitReader r)
    {
        r.Ensure(16);
        int peek = (int)(r.Peek(FastBits));
        int e = _fast[peek];
        if (e != 0) { r.Skip(e >> 8); return e & 0xFF; }
        int len = FastBits, code;
        while (true)
        {
            if (++len > 16) { r.Skip(16); return 0; }
            code = (int)r.Peek(len);
            if (_maxCode[len] >= 0 && code <= _maxCode[len]) break;
        }
        r.Skip(len);
        int index = code + _valOffset[len];
        return (uint)index < (uint)_values.Length ? _values[index] : 0;
    }

    /// <summary>Annex K.3 tables that libjpeg-turbo installs when a file has no DHT (motion-JPEG).</summary>
    public static HuffmanTable Standard(bool isDc, bool chroma) => (isDc, chroma) switch
    {
        (true, false) => new([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], true, "standard"),
        (true, true) => new([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], true, "standard"),
        (false, false) => new([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], StdAcLuma, false, "standard"),
        _ => new([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], StdAcChroma, false, "standard"),
    };

    static ReadOnlySpan<byte> StdAcLuma =>
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    static ReadOnlySpan<byte> StdAcChroma =>
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];
}

/// <summary>Reads entropy-coded bits MSB first. Past a marker it yields zeros (libjpeg's behaviour);
/// consuming bits past the end of the file raises a truncation error.</summary>
internal ref struct BitReader(ReadOnlySpan<byte> data, int start, string source)
{
    readonly ReadOnlySpan<byte> _data = data;
    readonly string _source = source;
    int _pos = start;
    ulong _buf;
    int _count;
    int _fakeBits;      // zero bits appended after a marker or the end of data
    bool _eof;

    /// <summary>Offset of the first byte not yet loaded into the bit buffer (a marker once one was hit).</summary>
    public readonly int Position => _pos;
    public bool HitMarker { get; private set; }
    /// <summary>True once a decode consumed bits past a marker (libjpeg's insufficient_data).</summary>
    public bool Insufficient { get; private set; }

    public void Ensure(int n)
    {
        if (_count < n) Fill();
    }

    /// <summary>Loads whole bytes until at least 57 bits are buffered (zeros once a marker or the end is reached).</summary>
    void Fill()
    {
        while (_count <= 56)
        {
            int b;
            if (HitMarker || _eof) { b = 0; _fakeBits += 8; }
            else if (_pos >= _data.Length) { _eof = true; b = 0; _fakeBits += 8; }
            else
            {
                b = _data[_pos];
                if (b == 0xFF)
                {
                    int next = _pos + 1 < _data.Length ? _data[_pos + 1] : -1;
                    if (next == 0) _pos += 2;
                    else if (next == 0xFF) { _pos++; continue; } // fill bytes before a marker
                    else if (next < 0) { _eof = true; b = 0; _fakeBits += 8; }
                    else { HitMarker = true; b = 0; _fakeBits += 8; }
                }
                else _pos++;
            }
            _buf |= (ulong)(uint)b << (56 - _count);
            _count += 8;
        }
    }

    public readonly ulong Peek(int n) => _buf >> (64 - n);

    public void Skip(int n)
    {
        _buf <<= n;
        _count -= n;
        if (_eof && _count < _fakeBits) throw new ImageFormatException(_source, "image file is truncated (entropy-coded data ends early)");
        if (_count < _fakeBits) { _fakeBits = _count; Insufficient = true; } // zeros consumed after a marker are legitimate
    }

    public int GetBits(int n)
    {
        if (n == 0) return 0;
        Ensure(n);
        int v = (int)Peek(n);
        Skip(n);
        return v;
    }

    public int GetBit() => GetBits(1);

    /// <summary>Receives n bits and sign-extends per T.81 F.2.2.1 (EXTEND).</summary>
    public int Receive(int n)
    {
        if (n == 0) return 0;
        int v = GetBits(n);
        return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
    }

    /// <summary>Drops buffered bits and restarts at <paramref name="pos"/> (after a restart marker).</summary>
    public void Reset(int pos, bool keepInsufficient = false)
    {
        _pos = pos; _buf = 0; _count = 0; _fakeBits = 0; HitMarker = false; _eof = false; Insufficient &= keepInsufficient;
    }

    /// <summary>Offset of the next marker at or after the data this reader has consumed.</summary>
    public readonly int NextMarker()
    {
        int p = _pos;
        while (p + 1 < _data.Length && !(_data[p] == 0xFF && _data[p + 1] != 0 && _data[p + 1] != 0xFF)) p++;
        return p + 1 < _data.Length ? p : _data.Length;
    }
}
