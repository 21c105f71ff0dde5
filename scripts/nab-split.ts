// The one fixed by-file split of the NAB AWS series in ../shared/data/nab, shared by every evaluation that
// tunes anything on NAB (scripts/eval-timeline.ts, scripts/eval-lnn.ts, the model's real-data training):
// choices are made on the tuning files, figures are reported on the test files. Each kind of series
// (EC2 CPU, RDS CPU, disk, network, ELB) sits on both sides; the lists are fixed, not drawn.
export const NAB_TUNING_FILES: readonly string[] = [
  'ec2_cpu_utilization_24ae8d.csv',
  'ec2_cpu_utilization_5f5533.csv',
  'ec2_cpu_utilization_825cc2.csv',
  'ec2_cpu_utilization_c6585a.csv',
  'ec2_disk_write_bytes_1ef3de.csv',
  'ec2_network_in_257a54.csv',
  'rds_cpu_utilization_cc0c53.csv',
  'elb_request_count_8c0756.csv',
];

export const NAB_TEST_FILES: readonly string[] = [
  'ec2_cpu_utilization_53ea38.csv',
  'ec2_cpu_utilization_77c1ca.csv',
  'ec2_cpu_utilization_ac20cd.csv',
  'ec2_cpu_utilization_fe7f93.csv',
  'ec2_disk_write_bytes_c0d644.csv',
  'ec2_network_in_5abac7.csv',
  'iio_us-east-1_i-a2eb1cd9_NetworkIn.csv',
  'rds_cpu_utilization_e47b3b.csv',
  'grok_asg_anomaly.csv',
];
