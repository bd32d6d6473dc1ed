// HAND-WRITTEN to protoc's pattern: protoc (Grpc.Tools) is not available here, so this file is what
// `protoc --csharp_out` 3.25 generates for the proto3 file below, written by hand against Google.Protobuf's
// public API: IMessage<T> + IBufferMessage with the WriteContext/ParseContext fast paths, a MessageParser,
// CalculateSize, MergeFrom, Equals/GetHashCode/Clone and a real descriptor. Only the descriptor is built
// differently: protoc embeds the serialized FileDescriptorProto as base64, here it is built with the
// descriptor classes and serialized at start-up (same result; never on a hot path).
//
//   syntax = "proto3";
//   package streamx.benchmarks;
//   option csharp_namespace = "StreamX.Benchmarks.Protobuf";
//
//   message Address {
//     string street = 1;
//     string city = 2;
//     int32 zip = 3;
//   }
//
//   message Order {
//     int32 id = 1;
//     int64 created_at_millis = 2;
//     int32 quantity = 3;
//     int32 priority = 4;
//     string customer = 5;
//     bytes payload = 6;
//     repeated int32 item_ids = 7;   // packed (proto3 default)
//     Address ship_to = 8;
//   }
#nullable disable
#pragma warning disable 1591, 0612, 3021, 8981 // as in protoc output
#region Designer generated code

using pb = global::Google.Protobuf;
using pbc = global::Google.Protobuf.Collections;
using pbr = global::Google.Protobuf.Reflection;

namespace StreamX.Benchmarks.Protobuf
{
    /// <summary>Holder for reflection information of order.proto.</summary>
    public static partial class OrderReflection
    {
        private static readonly pbr::FileDescriptor descriptor = BuildDescriptor();

        /// <summary>File descriptor for order.proto.</summary>
        public static pbr::FileDescriptor Descriptor
        {
            get { return descriptor; }
        }

        private static pbr::FileDescriptor BuildDescriptor()
        {
            var file = new pbr::FileDescriptorProto
            {
                Name = "order.proto",
                Package = "streamx.benchmarks",
                Syntax = "proto3",
                Options = new pbr::FileOptions { CsharpNamespace = "StreamX.Benchmarks.Protobuf" },
            };
            file.MessageType.Add(new pbr::DescriptorProto
            {
                Name = "Address",
                Field =
                {
                    Field("street", 1, pbr::FieldDescriptorProto.Types.Type.String, "street"),
                    Field("city", 2, pbr::FieldDescriptorProto.Types.Type.String, "city"),
                    Field("zip", 3, pbr::FieldDescriptorProto.Types.Type.Int32, "zip"),
                },
            });
            var shipTo = Field("ship_to", 8, pbr::FieldDescriptorProto.Types.Type.Message, "shipTo");
            shipTo.TypeName = ".streamx.benchmarks.Address";
            var itemIds = Field("item_ids", 7, pbr::FieldDescriptorProto.Types.Type.Int32, "itemIds");
            itemIds.Label = pbr::FieldDescriptorProto.Types.Label.Repeated;
            file.MessageType.Add(new pbr::DescriptorProto
            {
                Name = "Order",
                Field =
                {
                    Field("id", 1, pbr::FieldDescriptorProto.Types.Type.Int32, "id"),
                    Field("created_at_millis", 2, pbr::FieldDescriptorProto.Types.Type.Int64, "createdAtMillis"),
                    Field("quantity", 3, pbr::FieldDescriptorProto.Types.Type.Int32, "quantity"),
                    Field("priority", 4, pbr::FieldDescriptorProto.Types.Type.Int32, "priority"),
                    Field("customer", 5, pbr::FieldDescriptorProto.Types.Type.String, "customer"),
                    Field("payload", 6, pbr::FieldDescriptorProto.Types.Type.Bytes, "payload"),
                    itemIds,
                    shipTo,
                },
            });
            return pbr::FileDescriptor.FromGeneratedCode(
                pb::MessageExtensions.ToByteArray(file),
                new pbr::FileDescriptor[] { },
                new pbr::GeneratedClrTypeInfo(null, null, new pbr::GeneratedClrTypeInfo[]
                {
                    new pbr::GeneratedClrTypeInfo(typeof(global::StreamX.Benchmarks.Protobuf.Address), global::StreamX.Benchmarks.Protobuf.Address.Parser, new[] { "Street", "City", "Zip" }, null, null, null, null),
                    new pbr::GeneratedClrTypeInfo(typeof(global::StreamX.Benchmarks.Protobuf.Order), global::StreamX.Benchmarks.Protobuf.Order.Parser, new[] { "Id", "CreatedAtMillis", "Quantity", "Priority", "Customer", "Payload", "ItemIds", "ShipTo" }, null, null, null, null),
                }));
        }

        private static pbr::FieldDescriptorProto Field(string name, int number, pbr::FieldDescriptorProto.Types.Type type, string jsonName) =>
            new pbr::FieldDescriptorProto
            {
                Name = name,
                Number = number,
                Label = pbr::FieldDescriptorProto.Types.Label.Optional,
                Type = type,
                JsonName = jsonName,
            };
    }

    public sealed partial class Address : pb::IMessage<Address>, pb::IBufferMessage
    {
        private static readonly pb::MessageParser<Address> _parser = new pb::MessageParser<Address>(() => new Address());
        private pb::UnknownFieldSet _unknownFields;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public static pb::MessageParser<Address> Parser { get { return _parser; } }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public static pbr::MessageDescriptor Descriptor
        {
            get { return global::StreamX.Benchmarks.Protobuf.OrderReflection.Descriptor.MessageTypes[0]; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        pbr::MessageDescriptor pb::IMessage.Descriptor
        {
            get { return Descriptor; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Address()
        {
            OnConstruction();
        }

        partial void OnConstruction();

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Address(Address other) : this()
        {
            street_ = other.street_;
            city_ = other.city_;
            zip_ = other.zip_;
            _unknownFields = pb::UnknownFieldSet.Clone(other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Address Clone()
        {
            return new Address(this);
        }

        /// <summary>Field number for the "street" field.</summary>
        public const int StreetFieldNumber = 1;
        private string street_ = "";

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public string Street
        {
            get { return street_; }
            set { street_ = pb::ProtoPreconditions.CheckNotNull(value, "value"); }
        }

        /// <summary>Field number for the "city" field.</summary>
        public const int CityFieldNumber = 2;
        private string city_ = "";

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public string City
        {
            get { return city_; }
            set { city_ = pb::ProtoPreconditions.CheckNotNull(value, "value"); }
        }

        /// <summary>Field number for the "zip" field.</summary>
        public const int ZipFieldNumber = 3;
        private int zip_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int Zip
        {
            get { return zip_; }
            set { zip_ = value; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override bool Equals(object other)
        {
            return Equals(other as Address);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public bool Equals(Address other)
        {
            if (ReferenceEquals(other, null))
            {
                return false;
            }
            if (ReferenceEquals(other, this))
            {
                return true;
            }
            if (Street != other.Street) return false;
            if (City != other.City) return false;
            if (Zip != other.Zip) return false;
            return Equals(_unknownFields, other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override int GetHashCode()
        {
            int hash = 1;
            if (Street.Length != 0) hash ^= Street.GetHashCode();
            if (City.Length != 0) hash ^= City.GetHashCode();
            if (Zip != 0) hash ^= Zip.GetHashCode();
            if (_unknownFields != null)
            {
                hash ^= _unknownFields.GetHashCode();
            }
            return hash;
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override string ToString()
        {
            return pb::JsonFormatter.ToDiagnosticString(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void WriteTo(pb::CodedOutputStream output)
        {
            output.WriteRawMessage(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        void pb::IBufferMessage.InternalWriteTo(ref pb::WriteContext output)
        {
            if (Street.Length != 0)
            {
                output.WriteRawTag(10);
                output.WriteString(Street);
            }
            if (City.Length != 0)
            {
                output.WriteRawTag(18);
                output.WriteString(City);
            }
            if (Zip != 0)
            {
                output.WriteRawTag(24);
                output.WriteInt32(Zip);
            }
            if (_unknownFields != null)
            {
                _unknownFields.WriteTo(ref output);
            }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int CalculateSize()
        {
            int size = 0;
            if (Street.Length != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeStringSize(Street);
            }
            if (City.Length != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeStringSize(City);
            }
            if (Zip != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeInt32Size(Zip);
            }
            if (_unknownFields != null)
            {
                size += _unknownFields.CalculateSize();
            }
            return size;
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void MergeFrom(Address other)
        {
            if (other == null)
            {
                return;
            }
            if (other.Street.Length != 0)
            {
                Street = other.Street;
            }
            if (other.City.Length != 0)
            {
                City = other.City;
            }
            if (other.Zip != 0)
            {
                Zip = other.Zip;
            }
            _unknownFields = pb::UnknownFieldSet.MergeFrom(_unknownFields, other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void MergeFrom(pb::CodedInputStream input)
        {
            input.ReadRawMessage(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        void pb::IBufferMessage.InternalMergeFrom(ref pb::ParseContext input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if ((tag & 7) == 4)
                {
                    // Abort on any end group tag.
                    return;
                }
                switch (tag)
                {
                    default:
                        _unknownFields = pb::UnknownFieldSet.MergeFieldFrom(_unknownFields, ref input);
                        break;
                    case 10:
                    {
                        Street = input.ReadString();
                        break;
                    }
                    case 18:
                    {
                        City = input.ReadString();
                        break;
                    }
                    case 24:
                    {
                        Zip = input.ReadInt32();
                        break;
                    }
                }
            }
        }
    }

    public sealed partial class Order : pb::IMessage<Order>, pb::IBufferMessage
    {
        private static readonly pb::MessageParser<Order> _parser = new pb::MessageParser<Order>(() => new Order());
        private pb::UnknownFieldSet _unknownFields;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public static pb::MessageParser<Order> Parser { get { return _parser; } }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public static pbr::MessageDescriptor Descriptor
        {
            get { return global::StreamX.Benchmarks.Protobuf.OrderReflection.Descriptor.MessageTypes[1]; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        pbr::MessageDescriptor pb::IMessage.Descriptor
        {
            get { return Descriptor; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Order()
        {
            OnConstruction();
        }

        partial void OnConstruction();

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Order(Order other) : this()
        {
            id_ = other.id_;
            createdAtMillis_ = other.createdAtMillis_;
            quantity_ = other.quantity_;
            priority_ = other.priority_;
            customer_ = other.customer_;
            payload_ = other.payload_;
            itemIds_ = other.itemIds_.Clone();
            shipTo_ = other.shipTo_ != null ? other.shipTo_.Clone() : null;
            _unknownFields = pb::UnknownFieldSet.Clone(other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public Order Clone()
        {
            return new Order(this);
        }

        /// <summary>Field number for the "id" field.</summary>
        public const int IdFieldNumber = 1;
        private int id_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int Id
        {
            get { return id_; }
            set { id_ = value; }
        }

        /// <summary>Field number for the "created_at_millis" field.</summary>
        public const int CreatedAtMillisFieldNumber = 2;
        private long createdAtMillis_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public long CreatedAtMillis
        {
            get { return createdAtMillis_; }
            set { createdAtMillis_ = value; }
        }

        /// <summary>Field number for the "quantity" field.</summary>
        public const int QuantityFieldNumber = 3;
        private int quantity_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int Quantity
        {
            get { return quantity_; }
            set { quantity_ = value; }
        }

        /// <summary>Field number for the "priority" field.</summary>
        public const int PriorityFieldNumber = 4;
        private int priority_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int Priority
        {
            get { return priority_; }
            set { priority_ = value; }
        }

        /// <summary>Field number for the "customer" field.</summary>
        public const int CustomerFieldNumber = 5;
        private string customer_ = "";

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public string Customer
        {
            get { return customer_; }
            set { customer_ = pb::ProtoPreconditions.CheckNotNull(value, "value"); }
        }

        /// <summary>Field number for the "payload" field.</summary>
        public const int PayloadFieldNumber = 6;
        private pb::ByteString payload_ = pb::ByteString.Empty;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public pb::ByteString Payload
        {
            get { return payload_; }
            set { payload_ = pb::ProtoPreconditions.CheckNotNull(value, "value"); }
        }

        /// <summary>Field number for the "item_ids" field.</summary>
        public const int ItemIdsFieldNumber = 7;
        private static readonly pb::FieldCodec<int> _repeated_itemIds_codec = pb::FieldCodec.ForInt32(58);
        private readonly pbc::RepeatedField<int> itemIds_ = new pbc::RepeatedField<int>();

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public pbc::RepeatedField<int> ItemIds
        {
            get { return itemIds_; }
        }

        /// <summary>Field number for the "ship_to" field.</summary>
        public const int ShipToFieldNumber = 8;
        private global::StreamX.Benchmarks.Protobuf.Address shipTo_;

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public global::StreamX.Benchmarks.Protobuf.Address ShipTo
        {
            get { return shipTo_; }
            set { shipTo_ = value; }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override bool Equals(object other)
        {
            return Equals(other as Order);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public bool Equals(Order other)
        {
            if (ReferenceEquals(other, null))
            {
                return false;
            }
            if (ReferenceEquals(other, this))
            {
                return true;
            }
            if (Id != other.Id) return false;
            if (CreatedAtMillis != other.CreatedAtMillis) return false;
            if (Quantity != other.Quantity) return false;
            if (Priority != other.Priority) return false;
            if (Customer != other.Customer) return false;
            if (Payload != other.Payload) return false;
            if (!itemIds_.Equals(other.itemIds_)) return false;
            if (!object.Equals(ShipTo, other.ShipTo)) return false;
            return Equals(_unknownFields, other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override int GetHashCode()
        {
            int hash = 1;
            if (Id != 0) hash ^= Id.GetHashCode();
            if (CreatedAtMillis != 0L) hash ^= CreatedAtMillis.GetHashCode();
            if (Quantity != 0) hash ^= Quantity.GetHashCode();
            if (Priority != 0) hash ^= Priority.GetHashCode();
            if (Customer.Length != 0) hash ^= Customer.GetHashCode();
            if (Payload.Length != 0) hash ^= Payload.GetHashCode();
            hash ^= itemIds_.GetHashCode();
            if (shipTo_ != null) hash ^= ShipTo.GetHashCode();
            if (_unknownFields != null)
            {
                hash ^= _unknownFields.GetHashCode();
            }
            return hash;
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public override string ToString()
        {
            return pb::JsonFormatter.ToDiagnosticString(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void WriteTo(pb::CodedOutputStream output)
        {
            output.WriteRawMessage(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        void pb::IBufferMessage.InternalWriteTo(ref pb::WriteContext output)
        {
            if (Id != 0)
            {
                output.WriteRawTag(8);
                output.WriteInt32(Id);
            }
            if (CreatedAtMillis != 0L)
            {
                output.WriteRawTag(16);
                output.WriteInt64(CreatedAtMillis);
            }
            if (Quantity != 0)
            {
                output.WriteRawTag(24);
                output.WriteInt32(Quantity);
            }
            if (Priority != 0)
            {
                output.WriteRawTag(32);
                output.WriteInt32(Priority);
            }
            if (Customer.Length != 0)
            {
                output.WriteRawTag(42);
                output.WriteString(Customer);
            }
            if (Payload.Length != 0)
            {
                output.WriteRawTag(50);
                output.WriteBytes(Payload);
            }
            itemIds_.WriteTo(ref output, _repeated_itemIds_codec);
            if (shipTo_ != null)
            {
                output.WriteRawTag(66);
                output.WriteMessage(ShipTo);
            }
            if (_unknownFields != null)
            {
                _unknownFields.WriteTo(ref output);
            }
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public int CalculateSize()
        {
            int size = 0;
            if (Id != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeInt32Size(Id);
            }
            if (CreatedAtMillis != 0L)
            {
                size += 1 + pb::CodedOutputStream.ComputeInt64Size(CreatedAtMillis);
            }
            if (Quantity != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeInt32Size(Quantity);
            }
            if (Priority != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeInt32Size(Priority);
            }
            if (Customer.Length != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeStringSize(Customer);
            }
            if (Payload.Length != 0)
            {
                size += 1 + pb::CodedOutputStream.ComputeBytesSize(Payload);
            }
            size += itemIds_.CalculateSize(_repeated_itemIds_codec);
            if (shipTo_ != null)
            {
                size += 1 + pb::CodedOutputStream.ComputeMessageSize(ShipTo);
            }
            if (_unknownFields != null)
            {
                size += _unknownFields.CalculateSize();
            }
            return size;
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void MergeFrom(Order other)
        {
            if (other == null)
            {
                return;
            }
            if (other.Id != 0)
            {
                Id = other.Id;
            }
            if (other.CreatedAtMillis != 0L)
            {
                CreatedAtMillis = other.CreatedAtMillis;
            }
            if (other.Quantity != 0)
            {
                Quantity = other.Quantity;
            }
            if (other.Priority != 0)
            {
                Priority = other.Priority;
            }
            if (other.Customer.Length != 0)
            {
                Customer = other.Customer;
            }
            if (other.Payload.Length != 0)
            {
                Payload = other.Payload;
            }
            itemIds_.Add(other.itemIds_);
            if (other.shipTo_ != null)
            {
                if (shipTo_ == null)
                {
                    ShipTo = new global::StreamX.Benchmarks.Protobuf.Address();
                }
                ShipTo.MergeFrom(other.ShipTo);
            }
            _unknownFields = pb::UnknownFieldSet.MergeFrom(_unknownFields, other._unknownFields);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        public void MergeFrom(pb::CodedInputStream input)
        {
            input.ReadRawMessage(this);
        }

        [global::System.Diagnostics.DebuggerNonUserCodeAttribute]
        void pb::IBufferMessage.InternalMergeFrom(ref pb::ParseContext input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if ((tag & 7) == 4)
                {
                    // Abort on any end group tag.
                    return;
                }
                switch (tag)
                {
                    default:
                        _unknownFields = pb::UnknownFieldSet.MergeFieldFrom(_unknownFields, ref input);
                        break;
                    case 8:
                    {
                        Id = input.ReadInt32();
                        break;
                    }
                    case 16:
                    {
                        CreatedAtMillis = input.ReadInt64();
                        break;
                    }
                    case 24:
                    {
                        Quantity = input.ReadInt32();
                        break;
                    }
                    case 32:
                    {
                        Priority = input.ReadInt32();
                        break;
                    }
                    case 42:
                    {
                        Customer = input.ReadString();
                        break;
                    }
                    case 50:
                    {
                        Payload = input.ReadBytes();
                        break;
                    }
                    case 58:
                    case 56:
                    {
                        itemIds_.AddEntriesFrom(ref input, _repeated_itemIds_codec);
                        break;
                    }
                    case 66:
                    {
                        if (shipTo_ == null)
                        {
                            ShipTo = new global::StreamX.Benchmarks.Protobuf.Address();
                        }
                        input.ReadMessage(ShipTo);
                        break;
                    }
                }
            }
        }
    }
}

#endregion Designer generated code
