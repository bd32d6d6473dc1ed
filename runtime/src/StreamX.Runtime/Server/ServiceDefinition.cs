using System.Collections.Frozen;
using StreamX.Thrift;
using StreamX.Transport;

namespace StreamX;

/// <summary>
/// A service's handlers, bound by generated code (<c>TestServiceBase.BindService(impl)</c>) and
/// hosted by any transport's server.
/// </summary>
public sealed class ServiceDefinition
{
    private ServiceDefinition(string serviceName, FrozenDictionary<string, ServerMethod> methods)
    {
        ServiceName = serviceName;
        Methods = methods;
    }

    /// <summary>The IDL service name (ttstream <c>isn</c>).</summary>
    public string ServiceName { get; }

    /// <summary>Bound methods by IDL name (inherited methods included).</summary>
    public IReadOnlyDictionary<string, ServerMethod> Methods { get; }

    /// <summary>Starts binding a service.</summary>
    public static Builder CreateBuilder(string serviceName) => new(serviceName);

    /// <summary>Collects methods; used by generated code.</summary>
    public sealed class Builder
    {
        private readonly string _serviceName;
        private readonly Dictionary<string, ServerMethod> _methods = new(StringComparer.Ordinal);

        internal Builder(string serviceName) => _serviceName = serviceName;

        /// <summary>A unary method: the handler maps the argument struct to the result struct (declared exceptions included).</summary>
        public Builder AddUnary<TArgs, TResult>(string name, bool oneway, Func<TArgs, ServerCallContext, Task<TResult>> handler)
            where TArgs : class, IThriftStruct<TArgs>
            where TResult : class, IThriftStruct<TResult>
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(new UnaryServerMethod(name, oneway, async (payload, context, info, options, ct) =>
            {
                var args = PayloadCodec.Decode<TArgs>(payload, StreamSide.Server);
                UnaryHandler terminal = async (_, request, _) => await handler((TArgs)request, context).ConfigureAwait(false);
                var chain = options.UnaryMiddlewares.IsEmpty ? terminal : MiddlewareChain.Build(options.UnaryMiddlewares, terminal);
                var result = (TResult)await chain(info, args, ct).ConfigureAwait(false);
                return PayloadCodec.Encode(result);
            }));
        }

        /// <summary>A server-streaming method: one request (read before the handler runs), many responses.</summary>
        public Builder AddServerStreaming<TRequest, TResponse>(string name, Func<TRequest, MessageWriter<TResponse>, ServerCallContext, Task> handler)
            where TRequest : class, IThriftStruct<TRequest>
            where TResponse : class, IThriftStruct<TResponse>
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(new StreamingServerMethod(name, StreamingMode.ServerStreaming, async (stream, context, info, options) =>
            {
                var reader = Reader<TRequest>(stream, info, options);
                var request = await reader.RecvAsync().ConfigureAwait(false)
                    ?? throw new StreamXException(StreamErrors.IllegalFrame with { Side = StreamSide.Server, Cause = new InvalidOperationException($"{info.ServiceName}.{name}: the client sent no request") });
                await handler(request, Writer<TResponse>(stream, info, options), context).ConfigureAwait(false);
            }));
        }

        /// <summary>A client-streaming method: the handler reads requests and returns the one response.</summary>
        public Builder AddClientStreaming<TRequest, TResponse>(string name, Func<MessageReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
            where TRequest : class, IThriftStruct<TRequest>
            where TResponse : class, IThriftStruct<TResponse>
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(new StreamingServerMethod(name, StreamingMode.ClientStreaming, async (stream, context, info, options) =>
            {
                var response = await handler(Reader<TRequest>(stream, info, options), context).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"{info.ServiceName}.{name} returned null instead of a response");
                await Writer<TResponse>(stream, info, options).SendAsync(response).ConfigureAwait(false);
            }));
        }

        /// <summary>A bidirectional method.</summary>
        public Builder AddBidirectional<TRequest, TResponse>(string name, Func<MessageReader<TRequest>, MessageWriter<TResponse>, ServerCallContext, Task> handler)
            where TRequest : class, IThriftStruct<TRequest>
            where TResponse : class, IThriftStruct<TResponse>
        {
            ArgumentNullException.ThrowIfNull(handler);
            return Add(new StreamingServerMethod(name, StreamingMode.Bidirectional, (stream, context, info, options) =>
                handler(Reader<TRequest>(stream, info, options), Writer<TResponse>(stream, info, options), context)));
        }

        /// <summary>The definition.</summary>
        public ServiceDefinition Build() => new(_serviceName, _methods.ToFrozenDictionary(StringComparer.Ordinal));

        private Builder Add(ServerMethod method)
        {
            if (!_methods.TryAdd(method.Name, method))
            {
                throw new ArgumentException($"method '{method.Name}' is bound twice", nameof(method));
            }

            return this;
        }

        private static MessageReader<T> Reader<T>(ServerStreamCore stream, StreamCallInfo info, StreamXServerOptions options)
            where T : class, IThriftStruct<T>
        {
            // No middleware: the reader calls the stream itself (see MessageReader.RecvAsync).
            return new MessageReader<T>(stream, info, options.RecvMiddlewares.IsEmpty ? null : MiddlewareChain.Build(options.RecvMiddlewares, MessageReader<T>.Terminal(stream)));
        }

        private static MessageWriter<T> Writer<T>(ServerStreamCore stream, StreamCallInfo info, StreamXServerOptions options)
            where T : class, IThriftStruct<T>
        {
            return new MessageWriter<T>(stream, info, options.SendMiddlewares.IsEmpty ? null : MiddlewareChain.Build(options.SendMiddlewares, MessageWriter<T>.Terminal(stream)));
        }
    }
}
