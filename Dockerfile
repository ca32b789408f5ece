# Parcours in a container: `docker build -t parcours .` then
# `docker run -p 8501:8501 -e CX_PASSWORD=… -v parcours-data:/app/data parcours` (see README, "Shared deployment").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# a user of its own: the app never runs as root; the workspace and its key live in /app/data (a volume)
RUN useradd --create-home --uid 10001 parcours && mkdir -p /app/data && chown parcours:parcours /app/data
COPY --chown=parcours:parcours . .
USER parcours

VOLUME ["/app/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"
CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
