namespace SharpBan.Control;

/// <summary>The one-byte opcodes of Python's pickle format (protocols 0 to 5) and their names for error messages.</summary>
internal static class PickleOpcodes
{
    // protocol 0 and 1
    public const byte Mark = (byte)'(';
    public const byte Stop = (byte)'.';
    public const byte Pop = (byte)'0';
    public const byte PopMark = (byte)'1';
    public const byte Dup = (byte)'2';
    public const byte Float = (byte)'F';
    public const byte Int = (byte)'I';
    public const byte BinInt = (byte)'J';
    public const byte BinInt1 = (byte)'K';
    public const byte Long = (byte)'L';
    public const byte BinInt2 = (byte)'M';
    public const byte None = (byte)'N';
    public const byte PersId = (byte)'P';
    public const byte BinPersId = (byte)'Q';
    public const byte Reduce = (byte)'R';
    public const byte String = (byte)'S';
    public const byte BinString = (byte)'T';
    public const byte ShortBinString = (byte)'U';
    public const byte Unicode = (byte)'V';
    public const byte BinUnicode = (byte)'X';
    public const byte Append = (byte)'a';
    public const byte Build = (byte)'b';
    public const byte Global = (byte)'c';
    public const byte Dict = (byte)'d';
    public const byte EmptyDict = (byte)'}';
    public const byte Appends = (byte)'e';
    public const byte Get = (byte)'g';
    public const byte BinGet = (byte)'h';
    public const byte Inst = (byte)'i';
    public const byte LongBinGet = (byte)'j';
    public const byte List = (byte)'l';
    public const byte EmptyList = (byte)']';
    public const byte Obj = (byte)'o';
    public const byte Put = (byte)'p';
    public const byte BinPut = (byte)'q';
    public const byte LongBinPut = (byte)'r';
    public const byte SetItem = (byte)'s';
    public const byte Tuple = (byte)'t';
    public const byte EmptyTuple = (byte)')';
    public const byte SetItems = (byte)'u';
    public const byte BinFloat = (byte)'G';

    // protocol 2
    public const byte Proto = 0x80;
    public const byte NewObj = 0x81;
    public const byte Ext1 = 0x82;
    public const byte Ext2 = 0x83;
    public const byte Ext4 = 0x84;
    public const byte Tuple1 = 0x85;
    public const byte Tuple2 = 0x86;
    public const byte Tuple3 = 0x87;
    public const byte NewTrue = 0x88;
    public const byte NewFalse = 0x89;
    public const byte Long1 = 0x8a;
    public const byte Long4 = 0x8b;

    // protocol 3
    public const byte BinBytes = (byte)'B';
    public const byte ShortBinBytes = (byte)'C';

    // protocol 4
    public const byte ShortBinUnicode = 0x8c;
    public const byte BinUnicode8 = 0x8d;
    public const byte BinBytes8 = 0x8e;
    public const byte EmptySet = 0x8f;
    public const byte AddItems = 0x90;
    public const byte FrozenSet = 0x91;
    public const byte NewObjEx = 0x92;
    public const byte StackGlobal = 0x93;
    public const byte Memoize = 0x94;
    public const byte Frame = 0x95;

    // protocol 5
    public const byte ByteArray8 = 0x96;
    public const byte NextBuffer = 0x97;
    public const byte ReadOnlyBuffer = 0x98;

    /// <summary>The highest protocol Python writes (3.8 and later) and the highest <see cref="PickleReader"/> accepts.</summary>
    public const int HighestProtocol = 5;

    /// <summary>Opcodes that import, call or look up something outside the pickle: never run on untrusted input.</summary>
    public static bool IsRefused(byte opcode) => opcode is PersId or BinPersId or Reduce or Build or Global or Inst or Obj
        or NewObj or Ext1 or Ext2 or Ext4 or NewObjEx or StackGlobal or NextBuffer or ReadOnlyBuffer;

    /// <summary>Python's name for <paramref name="opcode"/> and its byte, e.g. <c>GLOBAL (0x63)</c>.</summary>
    public static string Describe(byte opcode) => $"{Name(opcode)} (0x{opcode:x2})";

    private static string Name(byte opcode) => opcode switch
    {
        Mark => "MARK",
        Stop => "STOP",
        Pop => "POP",
        PopMark => "POP_MARK",
        Dup => "DUP",
        Float => "FLOAT",
        Int => "INT",
        BinInt => "BININT",
        BinInt1 => "BININT1",
        Long => "LONG",
        BinInt2 => "BININT2",
        None => "NONE",
        PersId => "PERSID",
        BinPersId => "BINPERSID",
        Reduce => "REDUCE",
        String => "STRING",
        BinString => "BINSTRING",
        ShortBinString => "SHORT_BINSTRING",
        Unicode => "UNICODE",
        BinUnicode => "BINUNICODE",
        Append => "APPEND",
        Build => "BUILD",
        Global => "GLOBAL",
        Dict => "DICT",
        EmptyDict => "EMPTY_DICT",
        Appends => "APPENDS",
        Get => "GET",
        BinGet => "BINGET",
        Inst => "INST",
        LongBinGet => "LONG_BINGET",
        List => "LIST",
        EmptyList => "EMPTY_LIST",
        Obj => "OBJ",
        Put => "PUT",
        BinPut => "BINPUT",
        LongBinPut => "LONG_BINPUT",
        SetItem => "SETITEM",
        Tuple => "TUPLE",
        EmptyTuple => "EMPTY_TUPLE",
        SetItems => "SETITEMS",
        BinFloat => "BINFLOAT",
        Proto => "PROTO",
        NewObj => "NEWOBJ",
        Ext1 => "EXT1",
        Ext2 => "EXT2",
        Ext4 => "EXT4",
        Tuple1 => "TUPLE1",
        Tuple2 => "TUPLE2",
        Tuple3 => "TUPLE3",
        NewTrue => "NEWTRUE",
        NewFalse => "NEWFALSE",
        Long1 => "LONG1",
        Long4 => "LONG4",
        BinBytes => "BINBYTES",
        ShortBinBytes => "SHORT_BINBYTES",
        ShortBinUnicode => "SHORT_BINUNICODE",
        BinUnicode8 => "BINUNICODE8",
        BinBytes8 => "BINBYTES8",
        EmptySet => "EMPTY_SET",
        AddItems => "ADDITEMS",
        FrozenSet => "FROZENSET",
        NewObjEx => "NEWOBJ_EX",
        StackGlobal => "STACK_GLOBAL",
        Memoize => "MEMOIZE",
        Frame => "FRAME",
        ByteArray8 => "BYTEARRAY8",
        NextBuffer => "NEXT_BUFFER",
        ReadOnlyBuffer => "READONLY_BUFFER",
        _ => "unknown opcode",
    };
}
