// JPEG decoder (ITU T.81) matching PIL 9.4 + libjpeg-turbo 2.1.5: baseline/extended sequential and
// progressive Huffman, any integer sampling, restart markers, gray / YCbCr / RGB / CMYK / YCCK (colour space
// chosen as jdapimin.c default_decompress_parms does). Marker walk and scan dispatch live here.
// Leaves out (clear error): arithmetic coding, lossless, hierarchical, 12-bit, DNL; no EXIF rotation (PIL applies none).
using System.Buffers.Binary;

namespace Rethinker.Models.Imaging.Jpeg;

public static class JpegDecoder
{
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static DecodedImage Decode(ReadOnlySpan<byte> data, string source = "<bytes>", ImageLimits? limits = null)
    {
        if (!IsJpeg(data)) throw new ImageFormatException(source, "not a JPEG file (no SOI marker)");
        try
        {
            return new Decoder(source, limits ?? ImageLimits.Default).Run(data);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ImageFormatException(source, $"corrupt JPEG data ({e.GetType().Name})", e);
        }
    }

    /// <summary>Entropy-decodes only (for tests and tools): the frame with its quantised coefficients.</summary>
    internal static JpegFrame DecodeCoefficients(ReadOnlySpan<byte> data, string source = "<bytes>")
    {
        var d = new Decoder(source, ImageLimits.Default);
        d.Run(data, convert: false);
        return d.Frame!;
    }

    sealed class Decoder(string source, ImageLimits limits)
    {
        readonly HuffmanTable?[] _dc = [HuffmanTable.Standard(true, false), HuffmanTable.Standard(true, true), null, null];
        readonly HuffmanTable?[] _ac = [HuffmanTable.Standard(false, false), HuffmanTable.Standard(false, true), null, null];
        readonly ushort[]?[] _quant = new ushort[]?[4];
        JpegFrame? _frame;
        int _restartInterval, _scans, _adobeTransform = -1;
        bool _jfif, _sequentialDone, _pilHasDpi;

        ImageFormatException Error(string message) => new(source, message);

        public JpegFrame? Frame => _frame;

        public DecodedImage Run(ReadOnlySpan<byte> data, bool convert = true)
        {
            int pos = 2;
            bool eoi = false;
            while (!eoi)
            {
                // libjpeg's next_marker: skip garbage, then any fill bytes.
                while (pos < data.Length && data[pos] != 0xFF) pos++;
                while (pos < data.Length && data[pos] == 0xFF) pos++;
                if (pos >= data.Length) break;
                int marker = data[pos++];
                if (marker is 0xD8 or (>= 0xD0 and <= 0xD7) or 0x01) continue; // standalone markers
                if (marker == 0xD9) { eoi = true; break; }
                if (pos + 2 > data.Length) throw Error($"truncated in marker 0xFF{marker:X2} header");
                int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
                if (length < 2 || pos + length > data.Length) throw Error($"marker 0xFF{marker:X2} at byte {pos - 2}: segment length {length} runs past the end of the file");
                var seg = data.Slice(pos + 2, length - 2);
                pos += length;
                switch (marker)
                {
                    case 0xC0 or 0xC1 or 0xC2: ReadFrame(seg, marker == 0xC2); break;
                    case 0xC3: throw Error("lossless JPEG (SOF3) is not supported");
                    case 0xC5 or 0xC6 or 0xC7 or 0xCD or 0xCE or 0xCF: throw Error($"hierarchical JPEG (SOF{marker - 0xC0}) is not supported");
                    case 0xC9 or 0xCA or 0xCB: throw Error($"arithmetic-coded JPEG (SOF{marker - 0xC0}) is not supported");
                    case 0xC4: ReadHuffman(seg); break;
                    case 0xCC: throw Error("arithmetic coding conditioning (DAC) is not supported");
                    case 0xDB: ReadQuant(seg); break;
                    case 0xDD:
                        if (seg.Length < 2) throw Error("DRI segment too short");
                        _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(seg);
                        break;
                    case 0xDC: throw Error("DNL marker (height defined after the scan) is not supported");
                    case 0xDA: pos = ReadScan(seg, data, pos); break;
                    case 0xE1:
                        // PIL reads EXIF for its dpi while opening (unless JFIF gave dpi) and fails when the
                        // TIFF header is cut short (struct.error escapes Pillow 9.4's handler).
                        if (!_pilHasDpi && ExifOrientation.IsTruncatedExif(seg)) throw Error("truncated EXIF header in APP1 segment");
                        if (seg.Length >= 5 && seg[..5].SequenceEqual("Exif\0"u8)) _pilHasDpi = true; // later EXIF segments are never parsed
                        break;
                    case 0xE0:
                        if (seg.Length >= 14 && seg[..5].SequenceEqual("JFIF\0"u8)) _jfif = true;
                        if (seg.Length >= 12 && seg[..4].SequenceEqual("JFIF"u8) && seg[7] == 1) _pilHasDpi = true;
                        break;
                    case 0xEE:
                        if (seg.Length >= 12 && seg[..5].SequenceEqual("Adobe"u8)) _adobeTransform = seg[11];
                        break;
                }
            }
            if (_frame is null) throw Error("no SOF marker (frame header) before the end of the file");
            if (_scans == 0) throw Error("no SOS marker (image data) in the file");
            // Multi-scan files are only output once libjpeg has read up to EOI; a single complete scan suffices.
            if (!eoi && !(_scans == 1 && _sequentialDone)) throw Error("image file is truncated (no EOI marker after the scans)");
            return convert ? JpegOutput.Convert(_frame, ChooseColorSpace(_frame), source) : null!;
        }

        JpegOutput.ColorSpace ChooseColorSpace(JpegFrame f)
        {
            switch (f.Components.Length)
            {
                case 1: return JpegOutput.ColorSpace.Gray;
                case 3:
                    if (_jfif) return JpegOutput.ColorSpace.YCbCr;
                    if (_adobeTransform >= 0) return _adobeTransform == 0 ? JpegOutput.ColorSpace.Rgb : JpegOutput.ColorSpace.YCbCr;
                    var c = f.Components;
                    return c[0].Id == 82 && c[1].Id == 71 && c[2].Id == 66 ? JpegOutput.ColorSpace.Rgb : JpegOutput.ColorSpace.YCbCr;
                case 4:
                    return _adobeTransform is < 0 or 0 ? JpegOutput.ColorSpace.Cmyk : JpegOutput.ColorSpace.Ycck;
                default: throw Error($"cannot handle {f.Components.Length}-component images");
            }
        }

        void ReadFrame(ReadOnlySpan<byte> s, bool progressive)
        {
            if (_frame is not null) throw Error("more than one SOF marker");
            if (s.Length < 6) throw Error("SOF segment too short");
            int precision = s[0];
            if (precision != 8) throw Error($"{precision}-bit JPEG is not supported (only 8-bit samples)");
            int height = BinaryPrimitives.ReadUInt16BigEndian(s[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(s[3..]);
            if (height == 0) throw Error("SOF declares height 0 (DNL-defined height is not supported)");
            if (width == 0) throw Error("SOF declares width 0");
            int n = s[5];
            if (n is 0 or > 4 || s.Length < 6 + 3 * n) throw Error($"SOF declares {n} components in a {s.Length}-byte segment");
            var comps = new JpegComponent[n];
            for (int i = 0; i < n; i++)
            {
                int h = s[7 + 3 * i] >> 4, v = s[7 + 3 * i] & 15, tq = s[8 + 3 * i];
                if (h is < 1 or > 4 || v is < 1 or > 4) throw Error($"component {i} has invalid sampling factors {h}×{v}");
                if (tq > 3) throw Error($"component {i} uses quantisation table {tq} > 3");
                comps[i] = new JpegComponent(s[6 + 3 * i], h, v, tq);
            }
            _frame = new JpegFrame { Width = width, Height = height, Progressive = progressive, Components = comps };
            _frame.Setup(source, limits);
        }

        void ReadHuffman(ReadOnlySpan<byte> s)
        {
            while (s.Length > 0)
            {
                if (s.Length < 17) throw Error("DHT segment truncated");
                int tc = s[0] >> 4, th = s[0] & 15;
                if (tc > 1 || th > 3) throw Error($"DHT defines invalid table class {tc} / id {th}");
                var counts = s.Slice(1, 16);
                int total = 0;
                foreach (byte c in counts) total += c;
                if (total > 256 || s.Length < 17 + total) throw Error($"bad Huffman table: {total} symbols in a {s.Length}-byte definition");
                var table = new HuffmanTable(counts, s.Slice(17, total), tc == 0, source);
                (tc == 0 ? _dc : _ac)[th] = table;
                s = s[(17 + total)..];
            }
        }

        void ReadQuant(ReadOnlySpan<byte> s)
        {
            while (s.Length > 0)
            {
                int pq = s[0] >> 4, tq = s[0] & 15;
                if (pq > 1 || tq > 3) throw Error($"DQT defines invalid precision {pq} / table {tq}");
                int size = 1 + 64 * (pq + 1);
                if (s.Length < size) throw Error("DQT segment truncated");
                var q = new ushort[64];
                for (int k = 0; k < 64; k++)
                    q[Zigzag.Natural[k]] = pq == 0 ? s[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(s[(1 + 2 * k)..]);
                _quant[tq] = q;
                s = s[size..];
            }
        }

        int ReadScan(ReadOnlySpan<byte> s, ReadOnlySpan<byte> data, int pos)
        {
            var f = _frame ?? throw Error("SOS marker before any SOF marker");
            if (s.Length < 1) throw Error("SOS segment too short");
            int n = s[0];
            if (n is < 1 or > 4 || s.Length < 4 + 2 * n) throw Error($"SOS declares {n} components in a {s.Length}-byte segment");
            var comps = new JpegComponent[n];
            var dcs = new HuffmanTable?[n];
            var acs = new HuffmanTable?[n];
            int blocksPerMcu = 0;
            for (int i = 0; i < n; i++)
            {
                int id = s[1 + 2 * i], td = s[2 + 2 * i] >> 4, ta = s[2 + 2 * i] & 15;
                var c = Array.Find(f.Components, x => x.Id == id) ?? throw Error($"SOS names component id {id} not in the frame");
                if (Array.IndexOf(comps, c) >= 0) throw Error($"SOS names component id {id} twice");
                if (td > 3 || ta > 3) throw Error($"SOS selects Huffman table {td}/{ta} > 3");
                comps[i] = c; dcs[i] = _dc[td]; acs[i] = _ac[ta];
                blocksPerMcu += c.H * c.V;
                c.Quant ??= _quant[c.Tq] is { } q ? (ushort[])q.Clone() : throw Error($"quantisation table {c.Tq} is not defined before the first scan of component {id}");
            }
            if (n > 1 && blocksPerMcu > 10) throw Error($"interleaved scan has {blocksPerMcu} blocks per MCU (at most 10 allowed)");
            int ss = s[1 + 2 * n], se = s[2 + 2 * n], ah = s[3 + 2 * n] >> 4, al = s[3 + 2 * n] & 15;
            if (f.Progressive)
            {
                bool bad = ss > se || se > 63 || (ss == 0 && se != 0) || (ss != 0 && n != 1) || (ah != 0 && al != ah - 1) || al > 13;
                if (bad) throw Error($"invalid progressive scan parameters Ss={ss} Se={se} Ah={ah} Al={al}");
                for (int i = 0; i < n; i++)
                {
                    if (ss == 0 && dcs[i] is null && ah == 0) throw Error("scan uses an undefined DC Huffman table");
                    if (ss > 0 && acs[i] is null) throw Error("scan uses an undefined AC Huffman table");
                    // jdphuff.c start_pass: remember the previous state of coefficients 1..9, then record Al.
                    var c = comps[i];
                    for (int k = Math.Min(ss, 1); k <= Math.Max(se, 9); k++) c.PrevCoefBits[k] = f.ScansRead > 0 ? c.CoefBits[k] : 0;
                    for (int k = ss; k <= se; k++) c.CoefBits[k] = al;
                }
            }
            else
            {
                ss = 0; se = 63; ah = 0; al = 0; // libjpeg only warns about non-sequential parameters here
                if (dcs.Any(t => t is null) || acs.Any(t => t is null)) throw Error("scan uses an undefined Huffman table");
            }
            var scan = new JpegScan
            {
                Components = comps, DcTables = dcs, AcTables = acs, Ss = ss, Se = se, Ah = ah, Al = al,
                RestartInterval = _restartInterval, Progressive = f.Progressive,
            };
            int end = scan.Decode(f, data, pos, source);
            _scans++;
            f.ScansRead++;
            _sequentialDone = !f.Progressive && n == f.Components.Length;
            return end;
        }
    }
}
