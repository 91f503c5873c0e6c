# The exercise's consumer (step 3 of ../shared/seed: "Create a Kafka consumer object. Subscribe to
# the 'user_clickstream' topic. Continuously poll for new messages and print them."). The seed gives
# no answer for it, so this is that step written the way the seed's producer answer is written.
# The benchmark changes it only by the text replacements listed in Tools/ExerciseScripts.cs.
from confluent_kafka import Consumer

bootstrap_servers = 'localhost:9092'
clickstream_topic = 'user_clickstream'

consumer_conf = {
    'bootstrap.servers': bootstrap_servers,
    'group.id': 'clickstream_consumer_group',
    'auto.offset.reset': 'earliest',
}

consumer = Consumer(consumer_conf)
consumer.subscribe([clickstream_topic])

try:
    while True:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            print(f'Consumer error: {msg.error()}')
            continue
        print(f'Received click event: {msg.value().decode("utf-8")}')
except KeyboardInterrupt:
    pass
finally:
    consumer.close()
