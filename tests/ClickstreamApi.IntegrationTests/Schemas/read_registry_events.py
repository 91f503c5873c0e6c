"""Reads one generator run's events from the topic with clients that are not ClickstreamApi's.

usage: read_registry_events.py avro|json-schema BOOTSTRAP TOPIC REGISTRY_URL RUN_ID

avro:        Apache Avro's Python decoder (python3-avro); the writer schema is fetched over HTTP
             from the registry by the id in each value's header.
json-schema: confluent-kafka's own Schema Registry client and JSONDeserializer, which validates
             every value against the schema it fetched.
Prints one JSON object per event of the run (seq, eventId, userId, eventType, amount, schemaId, key).
"""
import io
import json
import struct
import sys

from confluent_kafka import Consumer, TopicPartition

mode, bootstrap, topic, registry, run_id = sys.argv[1:6]

consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": f"python-verifier-{mode}-{run_id}",
    "enable.auto.commit": False,
})
partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
assignment = [TopicPartition(topic, p, 0) for p in partitions]
ends = {tp.partition: consumer.get_watermark_offsets(tp, timeout=10)[1] for tp in assignment}
remaining = {p for p, end in ends.items() if end > 0}
consumer.assign(assignment)

if mode == "avro":
    import avro.io
    import avro.schema
    import requests

    schemas = {}

    def decode(value):
        schema_id = struct.unpack(">I", value[1:5])[0]
        if schema_id not in schemas:
            response = requests.get(f"{registry}/schemas/ids/{schema_id}", timeout=10)
            response.raise_for_status()
            body = response.json()
            if body.get("schemaType", "AVRO") != "AVRO":
                return schema_id, None
            schemas[schema_id] = avro.schema.parse(body["schema"])
        reader = avro.io.DatumReader(schemas[schema_id])
        return schema_id, reader.read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))
else:
    from confluent_kafka.schema_registry import SchemaRegistryClient
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer
    from confluent_kafka.serialization import MessageField, SerializationContext

    client = SchemaRegistryClient({"url": registry})
    deserializers = {}

    def decode(value):
        schema_id = struct.unpack(">I", value[1:5])[0]
        if schema_id not in deserializers:
            schema = client.get_schema(schema_id)
            if schema.schema_type != "JSON":
                return schema_id, None
            deserializers[schema_id] = JSONDeserializer(schema.schema_str)
        return schema_id, deserializers[schema_id](value, SerializationContext(topic, MessageField.VALUE))

idle = 0
skipped = 0
while remaining and idle < 20:
    message = consumer.poll(1.0)
    if message is None:
        idle += 1
        continue
    idle = 0
    if message.error():
        continue
    if message.offset() + 1 >= ends[message.partition()]:
        remaining.discard(message.partition())
    value = message.value()
    if not value or len(value) < 5 or value[0] != 0:
        continue
    try:
        schema_id, event = decode(value)
    except Exception as error:  # other tests' deliberately broken values share the topic
        skipped += 1
        print(f"skipped partition {message.partition()} offset {message.offset()}: {error}", file=sys.stderr)
        continue
    if event is None or event.get("runId") != run_id:
        continue
    amount = event.get("amount")
    print(json.dumps({
        "seq": event["seq"],
        "eventId": str(event["eventId"]),
        "userId": event["userId"],
        "eventType": event["eventType"],
        "amount": None if amount is None else str(amount),
        "schemaId": schema_id,
        "key": message.key().decode("utf-8"),
    }))

consumer.close()
if remaining:
    sys.exit(f"partitions {sorted(remaining)} were not read to their end")
