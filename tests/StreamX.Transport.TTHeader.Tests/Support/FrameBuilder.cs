using System.Text;

namespace StreamX.Transport.TTHeader.Tests.Support;

/// <summary>Builds TTHeader bytes by hand (independently of the codec), including invalid ones.</summary>
public sealed class FrameBuilder
{
    private readonly List<byte> _info = [];

    public ushort Magic { get; set; } = 0x1000;

    public ushort Flags { get; set; } = 0x0002;

    public int StreamId { get; set; } = 1;

    public byte ProtocolId { get; set; } = 0x10;

    public byte[] Transforms { get; set; } = [];

    public byte[] Payload { get; set; } = [];

    /// <summary>Overrides the HEADER SIZE field (words); null = computed.</summary>
    public int? HeaderWords { get; set; }

    /// <summary>Overrides the LENGTH field; null = computed.</summary>
    public uint? Length { get; set; }

    /// <summary>The usual int block: 9 = method, 27 = type.</summary>
    public static FrameBuilder Standard(string type = "3", string method = "Echo") =>
        new FrameBuilder().Ints((9, method), (27, type));

    public FrameBuilder Strings(params (string Key, string Value)[] entries)
    {
        _info.Add(0x01);
        U16(entries.Length);
        foreach (var (key, value) in entries)
        {
            Str(key);
            Str(value);
        }

        return this;
    }

    public FrameBuilder Ints(params (int Key, string Value)[] entries)
    {
        _info.Add(0x10);
        U16(entries.Length);
        foreach (var (key, value) in entries)
        {
            U16(key);
            Str(value);
        }

        return this;
    }

    public FrameBuilder Token(string token)
    {
        _info.Add(0x11);
        Str(token);
        return this;
    }

    public FrameBuilder Raw(params byte[] bytes)
    {
        _info.AddRange(bytes);
        return this;
    }

    public byte[] Build()
    {
        var header = new List<byte> { ProtocolId, (byte)Transforms.Length };
        header.AddRange(Transforms);
        header.AddRange(_info);
        while (header.Count % 4 != 0)
        {
            header.Add(0);
        }

        var words = HeaderWords ?? header.Count / 4;
        var length = Length ?? (uint)(10 + header.Count + Payload.Length);
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length]);
        bytes.AddRange([(byte)(Magic >> 8), (byte)Magic, (byte)(Flags >> 8), (byte)Flags]);
        bytes.AddRange([(byte)(StreamId >> 24), (byte)(StreamId >> 16), (byte)(StreamId >> 8), (byte)StreamId]);
        bytes.AddRange([(byte)(words >> 8), (byte)words]);
        bytes.AddRange(header);
        bytes.AddRange(Payload);
        return bytes.ToArray();
    }

    private void U16(int value)
    {
        _info.Add((byte)(value >> 8));
        _info.Add((byte)value);
    }

    private void Str(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        U16(bytes.Length);
        _info.AddRange(bytes);
    }
}
