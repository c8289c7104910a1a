import ChatBench
